package dev.lethe.core.util;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * How an artefact was made (Tribuo-style): what kind of step, its full configuration, the seed, the hashes
 * of its inputs and the code version. Written as {@code lethe.json} beside every checkpoint and embedded in
 * every results file.
 *
 * <p>{@link #fingerprint()} hashes everything but timings, so a pipeline can skip a step whose artefact
 * already exists with the same fingerprint, and redo it when anything that matters changed.
 *
 * @param kind the step that made it (pretrain, finetune, unlearn:npo, eval, …)
 * @param config every setting that influenced the result, flattened to strings, sorted
 * @param seed the random seed
 * @param inputs input name → SHA-256 of its content (data files, parent checkpoints)
 * @param gitSha the Lethe source version
 * @param timings step name → seconds (not part of the fingerprint)
 */
public record Provenance(String kind, Map<String, String> config, long seed, Map<String, String> inputs,
                         String gitSha, Map<String, Double> timings) {

    public static final String FILE = "lethe.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public Provenance {
        config = new TreeMap<>(config);
        inputs = new TreeMap<>(inputs);
        timings = new TreeMap<>(timings);
    }

    public static Provenance of(String kind, Map<String, String> config, long seed, Map<String, String> inputs) {
        return new Provenance(kind, config, seed, inputs, currentGitSha(), Map.of());
    }

    public Provenance withTiming(String step, double seconds) {
        Map<String, Double> t = new TreeMap<>(timings);
        t.put(step, seconds);
        return new Provenance(kind, config, seed, inputs, gitSha, t);
    }

    /** SHA-256 over kind, config, seed, inputs and code version (not timings). */
    public String fingerprint() {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", kind);
        n.putPOJO("config", config);
        n.put("seed", seed);
        n.putPOJO("inputs", inputs);
        n.put("git_sha", gitSha);
        try {
            return sha256(JSON.writeValueAsBytes(n));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("kind", kind);
        n.put("fingerprint", fingerprint());
        n.put("seed", seed);
        n.put("git_sha", gitSha);
        n.set("config", JSON.valueToTree(config));
        n.set("inputs", JSON.valueToTree(inputs));
        n.set("timings", JSON.valueToTree(timings));
        return n;
    }

    /** Writes {@code lethe.json} into {@code dir} (atomically). */
    public void write(Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve(FILE), JSON.writeValueAsString(toJson()) + "\n");
    }

    /** Reads {@code dir/lethe.json}, or returns null when there is none. */
    public static Provenance read(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        JsonNode n;
        try {
            n = JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new IOException(f + ": not valid JSON: " + e.getMessage(), e);
        }
        Map<String, String> config = new TreeMap<>();
        n.path("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        Map<String, String> inputs = new TreeMap<>();
        n.path("inputs").fields().forEachRemaining(e -> inputs.put(e.getKey(), e.getValue().asText()));
        Map<String, Double> timings = new TreeMap<>();
        n.path("timings").fields().forEachRemaining(e -> timings.put(e.getKey(), e.getValue().asDouble()));
        return new Provenance(n.path("kind").asText(), config, n.path("seed").asLong(), inputs,
                n.path("git_sha").asText(), timings);
    }

    /**
     * What identifies the artefact in {@code dir} as an input: the fingerprint of its {@code lethe.json}, or,
     * when it has none (made outside Lethe), the SHA-256 of its files.
     */
    public static String fingerprintOf(Path dir) throws IOException {
        Provenance p = read(dir);
        return p != null ? p.fingerprint() : sha256(dir);
    }

    /** True when {@code dir} holds an artefact made exactly as {@code wanted} describes. */
    public static boolean matches(Path dir, Provenance wanted) throws IOException {
        Provenance have = read(dir);
        return have != null && have.fingerprint().equals(wanted.fingerprint());
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SHA-256 of a file's content, streamed; for a directory, of its sorted files' names and hashes. */
    public static String sha256(Path p) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            if (Files.isDirectory(p)) {
                try (var files = Files.walk(p)) {
                    for (Path f : files.filter(Files::isRegularFile)
                            .filter(f -> !f.getFileName().toString().equals(FILE)).sorted().toList()) {
                        md.update(p.relativize(f).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        md.update(sha256(f).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    }
                }
            } else {
                byte[] buf = new byte[1 << 16];
                try (InputStream in = Files.newInputStream(p)) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        md.update(buf, 0, n);
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static volatile String cachedSha;

    /**
     * The Lethe source version: the {@code lethe.git.sha} system property (the launcher sets it), else
     * {@code git rev-parse HEAD} in the working directory, else "unknown".
     */
    public static String currentGitSha() {
        if (cachedSha != null) {
            return cachedSha;
        }
        String sha = System.getProperty("lethe.git.sha");
        if (sha == null || sha.isBlank()) {
            try {
                Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes()).trim();
                sha = p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : "unknown";
            } catch (IOException | InterruptedException e) {
                sha = "unknown";
            }
        }
        cachedSha = sha;
        return sha;
    }
}

package dev.lethe.scripts.regress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.core.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two headline numbers of every method of one tofu-mini run, with what the run was (preset, split,
 * seed): either read from a run's {@code results.json} or from a checked-in baseline file, which has the same
 * shape as what {@link #write} produces.
 *
 * @param methods method → its numbers, in table order
 */
public record Baseline(String preset, String split, long seed, String gitSha, Map<String, Numbers> methods) {

    /**
     * @param modelUtility  harmonic mean of the retain/real-authors/world-facts numbers (null when not computed)
     * @param forgetQuality KS p-value against the oracle (null for the oracle itself)
     */
    public record Numbers(Double modelUtility, Double forgetQuality) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Baseline {
        methods = Collections.unmodifiableMap(new LinkedHashMap<>(methods));
    }

    /** Reads a tofu-mini {@code results.json} (rows + provenance) or a baseline file (methods). */
    public static Baseline read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        JsonNode n = JSON.readTree(file.toFile());
        Map<String, Numbers> m = new LinkedHashMap<>();
        if (n.has("rows")) {
            for (JsonNode r : n.get("rows")) {
                m.put(r.path("method").asText(), new Numbers(num(r.get("model_utility")), num(r.get("forget_quality"))));
            }
            JsonNode p = n.path("provenance");
            JsonNode c = p.path("config");
            return new Baseline(c.path("preset").asText(null), c.path("split").asText(null), p.path("seed").asLong(),
                    p.path("git_sha").asText(null), m);
        }
        if (!n.has("methods")) {
            throw new IOException(file + ": neither a tofu-mini results.json (rows) nor a baseline (methods)");
        }
        n.get("methods").fields().forEachRemaining(e -> m.put(e.getKey(),
                new Numbers(num(e.getValue().get("model_utility")), num(e.getValue().get("forget_quality")))));
        return new Baseline(n.path("preset").asText(null), n.path("split").asText(null), n.path("seed").asLong(),
                n.path("git_sha").asText(null), m);
    }

    /** Writes this as a baseline file (what {@code lethe regress --update} checks in). */
    public void write(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("about", "model_utility and forget_quality per method of `scripts/lethe tofu-mini --preset " + preset
                + " --split " + split + " --seed " + seed + "`; checked by `scripts/lethe regress`, rewritten "
                + "on purpose by `scripts/lethe regress --update`");
        root.put("preset", preset);
        root.put("split", split);
        root.put("seed", seed);
        root.put("git_sha", gitSha);
        ObjectNode ms = root.putObject("methods");
        methods.forEach((k, v) -> {
            ObjectNode o = ms.putObject(k);
            put(o, "model_utility", v.modelUtility());
            put(o, "forget_quality", v.forgetQuality());
        });
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        AtomicFiles.writeString(file, JSON.writeValueAsString(root) + "\n");
    }

    private static void put(ObjectNode o, String k, Double v) {
        if (v == null || !Double.isFinite(v)) {
            o.putNull(k);
        } else {
            o.put(k, v);
        }
    }

    private static Double num(JsonNode v) {
        return v == null || v.isNull() || !v.isNumber() ? null : v.asDouble();
    }
}

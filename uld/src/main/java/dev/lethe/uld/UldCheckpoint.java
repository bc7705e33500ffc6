package dev.lethe.uld;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.core.lora.Lora;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.util.AtomicFiles;
import dev.lethe.core.util.Provenance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A ULD result directory (ARCHITECTURE: "the target reference, the assistant checkpoint and uld.json"):
 * <pre>
 *   uld.json                              method, target reference, K, LoRA, α, r, λ, mode, full config, training summary
 *   lethe.json                            provenance (kind unlearn:uld, config, seed, input hashes, git sha)
 *   assistant/config.json                 the assistant's K-layer config (HF layout)
 *   assistant/adapter_config.json         PEFT-style LoRA settings
 *   assistant/adapter_model.safetensors   LoRA A/B tensors under PEFT names
 * </pre>
 * The target is referenced, never copied: both its absolute path and its path relative to this directory are
 * recorded, and loading tries the relative one first (a results tree moved as a whole still loads). The assistant
 * is rebuilt on load from the target (its first K layers, final norm, head) plus the saved adapters, then merged.
 *
 * <p>The checkpoint loader for targets lives in core and is passed in as a {@link TargetLoader}.
 */
public final class UldCheckpoint {

    public static final String FILE = "uld.json";
    public static final String ASSISTANT_DIR = "assistant";
    public static final String ADAPTER_FILE = Lora.ADAPTER_FILE;
    public static final String ADAPTER_CONFIG_FILE = Lora.ADAPTER_CONFIG_FILE;
    public static final String CONFIG_FILE = "config.json";
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private UldCheckpoint() {}

    /** Loads a target checkpoint directory as a decoder (e.g. {@code dir -> HfCheckpoint.load(dir, manager)}). */
    @FunctionalInterface
    public interface TargetLoader {
        Decoder load(Path targetDir) throws IOException;
    }

    /**
     * A loaded ULD result; closing it frees the assistant and the target.
     *
     * @param model the logit-difference model with the saved α and r (it owns neither model)
     */
    public record Loaded(Decoder target, Assistant assistant, UldConfig config, Path targetDir,
                         LogitDifferenceModel model) implements AutoCloseable {
        @Override
        public void close() {
            try {
                assistant.close();
            } finally {
                target.close();
            }
        }
    }

    /**
     * Writes {@code result} to {@code dir} atomically (an existing directory is replaced).
     *
     * @param targetDir the target's checkpoint directory (recorded, not copied)
     */
    public static void save(Path dir, Path targetDir, UldResult result) throws IOException {
        Path target = targetDir.toAbsolutePath().normalize();
        Path out = dir.toAbsolutePath().normalize();
        Assistant a = result.assistant();
        UldConfig c = result.config();
        Map<String, String> inputs = new TreeMap<>();
        Path targetConfig = target.resolve(CONFIG_FILE);
        if (Files.isRegularFile(targetConfig)) {
            inputs.put("target_config", Provenance.sha256(targetConfig));
        }
        AtomicFiles.replaceDirectory(out, tmp -> {
            Path ad = Files.createDirectories(tmp.resolve(ASSISTANT_DIR));
            a.lora().save(ad);
            a.decoder().config().write(ad.resolve(CONFIG_FILE));
            inputs.put("assistant_adapters", Provenance.sha256(ad.resolve(ADAPTER_FILE)));

            ObjectNode n = JSON.createObjectNode();
            n.put("format", "lethe-uld");
            n.put("version", FORMAT_VERSION);
            n.put("method", Uld.NAME);
            ObjectNode t = n.putObject("target");
            t.put("path", target.toString());
            t.put("relative_path", out.getParent() == null ? target.toString()
                    : out.relativize(target).toString());
            t.put("layers", a.targetLayers());
            if (inputs.containsKey("target_config")) {
                t.put("config_sha256", inputs.get("target_config"));
            }
            ObjectNode as = n.putObject("assistant");
            as.put("dir", ASSISTANT_DIR);
            as.put("layers", a.layers());
            as.put("lora_rank", a.lora().config().rank());
            as.put("lora_alpha", a.lora().config().alpha());
            as.put("lora_dropout", a.lora().config().dropout());
            as.put("merged_at_load", true);
            ObjectNode inf = n.putObject("inference");
            inf.put("alpha", c.alpha());
            inf.put("filter_rate", c.filterRate());
            ObjectNode loss = n.putObject("loss");
            loss.put("retain_weight", c.retainWeight());
            loss.put("retain_loss", c.retainLoss().id());
            loss.put("learn_eos", c.learnEos());
            n.set("config", c.toJson());
            ObjectNode tr = n.putObject("training");
            tr.put("steps", result.training().losses().size());
            tr.put("completed", result.training().completed());
            tr.put("final_loss", result.training().finalLoss());
            tr.put("first_loss", result.training().losses().isEmpty() ? Double.NaN
                    : result.training().losses().get(0));
            tr.put("tokens", result.training().tokens());
            if (result.training().message() != null) {
                tr.put("message", result.training().message());
            }
            ObjectNode data = tr.putObject("data");
            result.dataCounts().forEach((k, v) -> data.put(k.name().toLowerCase(java.util.Locale.ROOT), v));
            data.put("augmentation", result.dataSource());
            Files.writeString(tmp.resolve(FILE), JSON.writeValueAsString(n) + "\n");
            Provenance.of("unlearn:" + Uld.NAME, c.toStringMap(), c.seed(), inputs).write(tmp);
        });
    }

    /** The settings saved in {@code dir/uld.json}, without loading any model. */
    public static UldConfig readConfig(Path dir) throws IOException {
        return UldConfig.fromJson(readJson(dir).path("config"));
    }

    /**
     * Loads a ULD result: the target through {@code loader}, the assistant rebuilt from it plus the saved
     * adapters (then merged), and the logit-difference model with the saved α and r.
     *
     * @throws IOException when a file is missing or malformed, or the target no longer matches the assistant
     */
    public static Loaded load(Path dir, TargetLoader loader) throws IOException {
        JsonNode n = readJson(dir);
        UldConfig config = UldConfig.fromJson(n.path("config"));
        Path targetDir = resolveTarget(dir, n.path("target"));
        Path ad = dir.resolve(n.path("assistant").path("dir").asText(ASSISTANT_DIR));
        DecoderConfig saved = DecoderConfig.read(ad.resolve(CONFIG_FILE));
        int k = n.path("assistant").path("layers").asInt(saved.numHiddenLayers());
        int rank = n.path("assistant").path("lora_rank").asInt(config.loraRank());
        double loraAlpha = n.path("assistant").path("lora_alpha").asDouble(config.loraAlpha());
        double dropout = n.path("assistant").path("lora_dropout").asDouble(config.loraDropout());

        int targetLayers = n.path("target").path("layers").asInt(-1);
        String configSha = n.path("target").path("config_sha256").asText(null);
        Path targetConfig = targetDir.resolve(CONFIG_FILE);
        if (configSha != null && Files.isRegularFile(targetConfig)
                && !configSha.equals(Provenance.sha256(targetConfig))) {
            throw new IOException(dir + ": the target's " + targetConfig + " changed since ULD was trained on it");
        }
        Decoder target = loader.load(targetDir);
        Assistant assistant = null;
        try {
            int depth = target.config().numHiddenLayers();
            if ((targetLayers > 0 && depth != targetLayers) || k > depth
                    || !target.config().withLayers(k).equals(saved)) {
                throw new IOException(dir + ": the target at " + targetDir + " (" + target.config()
                        + ") does not match the one ULD was trained on (" + targetLayers + " layers, assistant "
                        + saved + ")");
            }
            assistant = AssistantBuilder.builder().setTarget(target).setLayers(k).optLora(rank, loraAlpha, dropout)
                    .build();
            assistant.lora().load(ad);
            assistant.merge();
            LogitDifferenceModel model = LogitDifferenceModel.builder().setTarget(target)
                    .setAssistant(assistant.decoder()).optConfig(config).build();
            return new Loaded(target, assistant, config, targetDir, model);
        } catch (IOException | RuntimeException e) {
            if (assistant != null) {
                assistant.close();
            }
            target.close();
            throw e;
        }
    }

    private static JsonNode readJson(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new NoSuchFileException(f.toString(), null, "not a ULD result directory");
        }
        JsonNode n;
        try {
            n = JSON.readTree(f.toFile());
        } catch (IOException e) {
            throw new IOException(f + ": not valid JSON: " + e.getMessage(), e);
        }
        if (!Uld.NAME.equals(n.path("method").asText())) {
            throw new IOException(f + ": method is '" + n.path("method").asText() + "', expected '" + Uld.NAME + "'");
        }
        if (n.path("version").asInt(-1) != FORMAT_VERSION) {
            throw new IOException(f + ": unsupported version " + n.path("version"));
        }
        return n;
    }

    /** The relative path when it still exists (moved together), else the absolute one. */
    private static Path resolveTarget(Path dir, JsonNode t) throws IOException {
        String rel = t.path("relative_path").asText(null);
        if (rel != null) {
            Path p = dir.toAbsolutePath().normalize().resolve(rel).normalize();
            if (Files.exists(p)) {
                return p;
            }
        }
        String abs = t.path("path").asText(null);
        if (abs == null) {
            throw new IOException(dir.resolve(FILE) + ": no target path");
        }
        return Path.of(abs);
    }
}

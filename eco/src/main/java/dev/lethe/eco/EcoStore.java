package dev.lethe.eco;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.text.ChatTemplate;
import dev.lethe.core.text.LetheTokenizer;
import dev.lethe.core.util.AtomicFiles;
import dev.lethe.core.util.Provenance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An ECO result directory (ARCHITECTURE.md: "the classifier, the threshold and the tuned corruption in
 * eco.json"):
 * <pre>
 *   eco.json           target path, gate (mode, τ, α, n, calibration identity), selector (+ entities), corruption,
 *                      template, flag-rate report, tuning log, input hashes
 *   classifier/        model.safetensors + classifier.json
 *   tokenizer.json     the target's tokenizer (the classifier's ids and the selector's offsets come from it)
 *   lethe.json         provenance
 * </pre>
 * The target is referenced by path, never copied. The directory is written atomically.
 */
public final class EcoStore {

    public static final String FILE = "eco.json";
    public static final String CLASSIFIER_DIR = "classifier";
    public static final String TOKENIZER_FILE = "tokenizer.json";
    private static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EcoStore() {}

    /**
     * Writes {@code result} to {@code dir}.
     *
     * @param targetPath where the target checkpoint lives (recorded, not copied)
     */
    public static void save(EcoResult result, Path targetPath, Path dir) throws IOException {
        if (result.tokenizerFile() == null) {
            throw new IllegalArgumentException("the result has no tokenizer file to store (use a LetheTokenizer)");
        }
        EcoModel m = result.model();
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("method", Eco.NAME);
        o.put("target", targetPath.toAbsolutePath().normalize().toString());
        o.put("tokenizer", TOKENIZER_FILE);
        o.put("tokenizer_sha256", Provenance.sha256(result.tokenizerFile()));
        ChatTemplate t = result.config().template();
        o.putObject("template").put("name", t.name()).put("system_prefix", t.systemPrefix())
                .put("user_start", t.userStart()).put("user_end", t.userEnd())
                .put("assistant_start", t.assistantStart()).put("assistant_end", t.assistantEnd());
        ObjectNode c = o.putObject("classifier");
        c.put("dir", CLASSIFIER_DIR);
        c.set("config", m.classifier().config().toJson(JSON));
        c.put("training", result.config().training().toString());
        c.put("best_epoch", result.bestEpoch());
        c.put("final_loss", result.finalLoss());
        ObjectNode gate = m.threshold().toJson(JSON);
        gate.put("label", m.threshold().mode() == Threshold.Mode.FIXED ? "faithful (reference fixed tau)"
                : "conformal (Lethe design; the reference has no calibration code)");
        gate.put("calibration_source", result.calibrationSource());
        gate.put("calibration_sha256", result.calibrationSha256());
        o.set("gate", gate);
        ObjectNode sel = o.putObject("selector");
        sel.put("kind", m.selector().name());
        ArrayNode ents = sel.putArray("entities");
        result.entities().forEach(ents::add);
        Corruption k = m.corruption();
        o.putObject("corruption").put("type", k.type().id()).put("dims", k.dims()).put("strength", k.strength())
                .put("seed", k.seed());
        o.set("report", result.report().toJson(JSON));
        if (result.tuning() != null) {
            ObjectNode tu = o.putObject("tuning");
            tu.put("target", result.tuningTarget());
            tu.put("target_source", result.tuningTargetSource());
            tu.put("best", result.tuning().best());
            tu.put("best_metric", result.tuning().bestMetric());
            tu.put("best_objective", result.tuning().bestObjective());
            tu.put("stopped_early", result.tuning().stoppedEarly());
            ArrayNode q = tu.putArray("queries");
            for (ZerothOrderTuner.Query e : result.tuning().queries()) {
                q.addObject().put("step", e.step()).put("role", e.role()).put("parameter", e.parameter())
                        .put("metric", e.metric()).put("objective", e.objective());
            }
        }
        ObjectNode in = o.putObject("inputs");
        result.inputs().forEach(in::put);
        o.put("seconds", result.seconds());

        Map<String, String> inputs = new java.util.TreeMap<>(result.inputs());
        inputs.put("target", targetPath.toAbsolutePath().normalize().toString());
        inputs.put("tokenizer", Provenance.sha256(result.tokenizerFile()));
        Provenance prov = Provenance.of("unlearn:" + Eco.NAME, result.config().toMap(), result.config().seed(), inputs)
                .withTiming("eco", result.seconds());
        AtomicFiles.replaceDirectory(dir, tmp -> {
            m.classifier().save(tmp.resolve(CLASSIFIER_DIR));
            Files.copy(result.tokenizerFile(), tmp.resolve(TOKENIZER_FILE));
            Files.writeString(tmp.resolve(FILE), JSON.writeValueAsString(o) + "\n");
            prov.write(tmp);
        });
    }

    /** The target path recorded in {@code dir/eco.json}, so the caller can load the target first. */
    public static Path targetPath(Path dir) throws IOException {
        return Path.of(read(dir).get("target").asText());
    }

    /**
     * Rebuilds the ECO model of {@code dir} around an already loaded {@code target} (which must be the recorded
     * one). The model owns the classifier and the tokenizer it loads.
     */
    public static EcoModel load(Path dir, Decoder target) throws IOException {
        JsonNode o = read(dir);
        if (o.path("format").asInt() != FORMAT || !Eco.NAME.equals(o.path("method").asText())) {
            throw new IOException(dir.resolve(FILE) + " is not an ECO result of format " + FORMAT);
        }
        LetheTokenizer tok = LetheTokenizer.load(dir.resolve(o.get("tokenizer").asText()));
        PromptClassifier classifier = null;
        try {
            classifier = PromptClassifier.load(dir.resolve(o.path("classifier").get("dir").asText()),
                    target.manager());
            if (classifier.config().vocabSize() != target.config().vocabSize()) {
                throw new IOException("classifier vocabulary " + classifier.config().vocabSize()
                        + " does not match the target's " + target.config().vocabSize());
            }
            JsonNode t = o.get("template");
            ChatTemplate template = new ChatTemplate(t.get("name").asText(), t.get("system_prefix").asText(),
                    t.get("user_start").asText(), t.get("user_end").asText(), t.get("assistant_start").asText(),
                    t.get("assistant_end").asText());
            JsonNode s = o.get("selector");
            List<String> entities = new ArrayList<>();
            s.path("entities").forEach(e -> entities.add(e.asText()));
            TokenSelector selector = switch (s.get("kind").asText()) {
                case "all_but_last" -> TokenSelector.allButLast();
                case "entities" -> Eco.selector(SelectorKind.ENTITIES, tok, entities);
                case "capitalised" -> Eco.selector(SelectorKind.CAPITALISED, tok, entities);
                default -> throw new IOException("unknown selector " + s.get("kind").asText());
            };
            JsonNode k = o.get("corruption");
            Corruption corruption = new Corruption(CorruptionType.parse(k.get("type").asText()), k.get("dims").asInt(),
                    k.get("strength").asDouble(), k.get("seed").asLong());
            return new EcoModel(target, classifier, Threshold.fromJson(o.get("gate")), selector, corruption,
                    TemplateStripper.of(tok, template)).closing(tok);
        } catch (IOException | RuntimeException e) {
            if (classifier != null) {
                classifier.close();
            }
            tok.close();
            throw e;
        }
    }

    private static JsonNode read(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new IOException("no " + FILE + " in " + dir);
        }
        return JSON.readTree(f.toFile());
    }
}

package dev.lethe.scripts.tofu;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.core.lm.LanguageModel;
import dev.lethe.core.text.ChatTemplate;
import dev.lethe.core.text.TextTokenizer;
import dev.lethe.core.util.AtomicFiles;
import dev.lethe.core.util.Provenance;
import dev.lethe.datasets.tofu.TofuBenchmark;
import dev.lethe.eval.attacks.ConditionScores;
import dev.lethe.eval.attacks.Hint;
import dev.lethe.eval.attacks.InContextRelearningAttack;
import dev.lethe.eval.attacks.RelearningItems;
import dev.lethe.eval.attacks.RelearningReport;
import dev.lethe.eval.attacks.RelearningSetup;
import dev.lethe.eval.report.ResultRow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-context relearning attack as a pipeline step: every model of the run (oracle, target, each method)
 * answers the same seeded sample of forget items with no context (H0), with the item's source passage
 * before the question (H1), and with filler of the passage's length (H7, the control that tells a passage's
 * content from the mere presence of a context: models that never saw text before a question may answer
 * worse with any). Scores are cached per model in {@code attack/<name>/} like every other step;
 * at the end each method's report goes to {@code attack/<name>/icl.json} and two columns to its table row:
 * <ul>
 *   <li>{@value #RECOVERY} = ρ_H1 = (A(M̂, H1) − A(M̂, H0)) / (A(target, H0) − A(M̂, H0)) over the items the
 *       target answers at H0: the share of what unlearning removed that the passage brings back (none for
 *       the target itself, which forgot nothing);</li>
 *   <li>{@value #EXCESS} = E_H1 = A(M̂, H1) − A(oracle, H1): how much more the method answers from the
 *       passage than a model that never saw the forget authors (0 for the oracle by definition).</li>
 * </ul>
 * Why H1: it is UnUnlearning's core case, re-teaching the forgotten fact in context, which even exact
 * unlearning cannot stop — so ρ alone would also reward a model that merely reads well, and E against the
 * oracle is the part that says "residual knowledge". It exists for every item (H3/H4 only for some), needs
 * no many-shot context that a 128-position preset cannot hold, and one condition is not biased upward the
 * way a best-of several noisy conditions on 20 items would be.
 */
final class IclStage {

    static final String RECOVERY = "icl_recovery";
    static final String EXCESS = "icl_recovery_excess";
    static final String SCORES_FILE = "icl_scores.json";
    static final String REPORT_FILE = "icl.json";

    private static final Hint H0 = Hint.of(Hint.Kind.H0_NONE);
    private static final Hint H1 = Hint.of(Hint.Kind.H1_PASSAGE);
    private static final Hint H7 = Hint.of(Hint.Kind.H7_FILLER);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final RelearningSetup setup;
    private final Path dir;
    private final String worldHash;
    private final boolean force;
    private final Map<String, ConditionScores> scores = new LinkedHashMap<>();
    /** Each model's report (1000 bootstrap resamples per interval), built once; emptied when scores change. */
    private final Map<String, RelearningReport> reports = new LinkedHashMap<>();

    private IclStage(RelearningSetup setup, Path dir, String worldHash, boolean force) {
        this.setup = setup;
        this.dir = dir;
        this.worldHash = worldHash;
        this.force = force;
    }

    /** The step for a run, or null when the preset leaves the attack out. */
    static IclStage create(Preset p, TofuBenchmark bench, int pct, long seed, Path out, String worldHash, boolean force)
            throws IOException {
        if (!p.icl().enabled()) {
            return null;
        }
        RelearningSetup s = RelearningItems.setup(bench, pct, p.icl().items(), List.of(H0, H1, H7), "auto",
                ChatTemplate.QA, p.icl().maxNewTokens(), p.evalBatch(), seed);
        return new IclStage(s, out.resolve("attack"), worldHash, force);
    }

    /** Scores {@code model} (saved in {@code modelDir}) as {@code name}, or reads the scores made before. */
    void score(String name, LanguageModel model, Path modelDir, TextTokenizer tok) throws IOException {
        Path d = dir.resolve(name);
        Provenance prov = Provenance.of("attack:icl", setup.describe(), setup.seed(), Map.of(
                "model", Provenance.fingerprintOf(modelDir),
                "world", worldHash));
        Path file = d.resolve(SCORES_FILE);
        reports.clear(); // they compare against the target's and oracle's scores, which may be these
        if (Stage.upToDate(d, prov, force) && Files.isRegularFile(file)) {
            scores.put(name, ConditionScores.fromJson(JSON.readTree(file.toFile())));
            return;
        }
        Stage.log("in-context relearning attack on " + name);
        long t0 = System.nanoTime();
        ConditionScores s = setup.score(model, tok);
        Files.createDirectories(d);
        AtomicFiles.writeString(file, JSON.writeValueAsString(s.toJson()) + "\n");
        prov.withTiming("attack_s", Stage.seconds(t0)).write(d);
        scores.put(name, s);
    }

    /** {@code row} with the two ICL columns (null where not defined or not scored). */
    ResultRow annotate(ResultRow row) {
        ConditionScores s = scores.get(row.method());
        ConditionScores target = scores.get("target");
        if (s == null || target == null) {
            return row;
        }
        InContextRelearningAttack.Row r = report(row.method()).row(H1);
        return row.withExtra(RECOVERY, finite(r.recovery().rho().value()))
                .withExtra(EXCESS, r.excess() == null ? null : finite(r.excess().value()));
    }

    /** Writes each scored model's full report to {@code attack/<name>/icl.json}. */
    void writeReports() throws IOException {
        for (Map.Entry<String, ConditionScores> e : scores.entrySet()) {
            ObjectNode n = report(e.getKey()).toJson();
            n.put("model", e.getKey());
            n.put("original", "target");
            n.put("oracle", "oracle");
            AtomicFiles.writeString(dir.resolve(e.getKey()).resolve(REPORT_FILE), JSON.writeValueAsString(n) + "\n");
        }
    }

    /** {@code name}'s report against the target (original) and the oracle (reference). */
    private RelearningReport report(String name) {
        return reports.computeIfAbsent(name,
                n -> new RelearningReport(setup, scores.get(n), scores.get("target"), scores.get("oracle")));
    }

    Map<String, String> describe() {
        return setup.describe();
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}

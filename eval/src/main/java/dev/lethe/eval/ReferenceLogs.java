package dev.lethe.eval;

import dev.lethe.eval.logs.EvalLogJson;
import dev.lethe.eval.logs.LegacyContexts;
import dev.lethe.eval.logs.LegacyLog;
import dev.lethe.eval.logs.LegacyTask;
import dev.lethe.eval.metrics.engine.EvalLog;
import dev.lethe.eval.metrics.engine.MetricContext;
import dev.lethe.eval.metrics.tofu.TofuMetrics;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Entry point for reference-model logs: the retain ("oracle") model's evaluation that forget quality
 * and privleak compare against.
 *
 * <p>Accepts both layouts: OU's {@code TOFU_EVAL.json} and TF's legacy {@code eval_log_aggregated.json}
 * (or one of its per-split files). A legacy log is converted by running Lethe's own TOFU metrics on
 * its per-sample numbers, so the reference is always computed by the same code as the model under test
 * (spec §7.2: "always recompute the retain-model truth ratios with the same evaluator").
 */
public final class ReferenceLogs {

    private ReferenceLogs() { }

    /** Reads an OU-layout {@code TOFU_EVAL.json}. */
    public static EvalLog readEvalLog(Path file) {
        return EvalLogJson.read(requireFile(file));
    }

    /** Reads a legacy TF log. */
    public static LegacyLog readLegacy(Path file) {
        return LegacyLog.read(requireFile(file));
    }

    /**
     * Reads a reference log of either layout as an OU-layout {@link EvalLog} holding at least
     * {@code forget_Truth_Ratio} (and {@code model_utility} when a legacy log has all four splits).
     */
    public static EvalLog read(Path file) {
        Path f = requireFile(file);
        if (isLegacy(f)) {
            return fromLegacy(LegacyLog.read(f));
        }
        return EvalLogJson.read(f);
    }

    /**
     * OU view of a legacy log: the TOFU metrics its per-sample values support, computed by Lethe's
     * metric classes in the {@link TofuMetrics.Flavor#LEGACY_TOFU} flavour (so MU matches TF's).
     */
    public static EvalLog fromLegacy(LegacyLog legacy) {
        MetricContext ctx = LegacyContexts.toContext(legacy, null);
        java.util.List<String> wanted = new java.util.ArrayList<>();
        if (legacy.has(LegacyTask.FORGET)) {
            wanted.add(TofuMetrics.FORGET_TRUTH_RATIO);
            wanted.add("forget_Q_A_Prob");
            wanted.add("forget_Q_A_ROUGE");
        }
        if (legacy.has(LegacyTask.RETAIN) && legacy.has(LegacyTask.REAL_AUTHORS) && legacy.has(LegacyTask.WORLD_FACTS)) {
            wanted.add(TofuMetrics.MODEL_UTILITY);
        }
        EvalLog out = TofuMetrics.registry(TofuMetrics.Flavor.LEGACY_TOFU).evaluate(ctx, wanted);
        return new EvalLog(legacy.source(), out.metrics());
    }

    /** Legacy logs are recognised by TF's file names or top-level keys. */
    static boolean isLegacy(Path file) {
        String name = file.getFileName().toString();
        if (name.equals("eval_log_aggregated.json") || LegacyTask.byFileName(name) != null) {
            return true;
        }
        return false;
    }

    private static Path requireFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("reference log not found: " + file.toAbsolutePath());
        }
        return file;
    }
}

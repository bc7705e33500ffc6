package dev.lethe.eval.logs;

import dev.lethe.eval.metrics.engine.EvalLog;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Library entry of {@code lethe aggregate --legacy-log FILE [--retain-legacy-log FILE] |
 * --eval-log FILE [--retain-logs FILE]}: recompute TOFU aggregates from a log's per-sample values.
 */
public final class Aggregate {

    private Aggregate() { }

    /**
     * Legacy TF log ({@code eval_log_aggregated.json} or a per-split file), with TF's formulas.
     *
     * @param retainLegacyLog the retain model's legacy log for forget quality, or null
     */
    public static AggregateResult legacy(Path legacyLog, Path retainLegacyLog) {
        LegacyLog model = LegacyLog.read(legacyLog);
        LegacyLog retain = retainLegacyLog == null ? null : LegacyLog.read(retainLegacyLog);
        String source = "legacy log " + legacyLog + (retain == null ? "" : " (retain reference " + retainLegacyLog + ")");
        return new AggregateResult(source, LegacyAggregate.all(model, retain), Map.of());
    }

    /**
     * OU-layout {@code TOFU_EVAL.json}, re-aggregated from per-index values with OU's formulas.
     *
     * @param retainLogs the retain model's {@code TOFU_EVAL.json} for forget quality / privleak, or null
     */
    public static AggregateResult evalLog(Path evalLog, Path retainLogs) {
        EvalLog stored = EvalLogJson.read(evalLog);
        EvalLog retain = retainLogs == null ? null : EvalLogJson.read(retainLogs);
        EvalLog recomputed = EvalLogAggregate.recompute(stored, retain);
        Map<String, Double> values = new LinkedHashMap<>();
        Map<String, Double> storedValues = new LinkedHashMap<>();
        recomputed.metrics().forEach((k, r) -> values.put(k, r.aggValue()));
        stored.metrics().forEach((k, r) -> storedValues.put(k, r == null ? null : r.aggValue()));
        storedValues.values().removeIf(java.util.Objects::isNull);
        String source = "eval log " + evalLog + (retain == null ? "" : " (retain reference " + retainLogs + ")");
        return new AggregateResult(source, values, storedValues);
    }

    /** The recomputed log itself, for callers that want to write it back. */
    public static EvalLog recomputedEvalLog(Path evalLog, Path retainLogs) {
        return EvalLogAggregate.recompute(EvalLogJson.read(evalLog), retainLogs == null ? null : EvalLogJson.read(retainLogs));
    }
}

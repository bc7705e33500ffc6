package dev.lethe.eval.report;

import dev.lethe.eval.metrics.engine.EvalLog;
import dev.lethe.eval.metrics.engine.MetricResult;
import dev.lethe.eval.metrics.tofu.TofuMetrics;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One line of a results table: a method evaluated on a split with a seed. Metric values are null when
 * the run did not compute them (e.g. forget quality without a retain log), so a missing number is never
 * shown as 0.
 *
 * @param method           unlearning method (or "target", "retain", …)
 * @param split            forget split, e.g. forget10
 * @param seed             run seed
 * @param forgetQuality    KS p-value against the retain model
 * @param modelUtility     harmonic mean of the nine utility numbers
 * @param forgetProb       forget_Q_A_Prob
 * @param forgetRouge      forget_Q_A_ROUGE (ROUGE-L recall)
 * @param forgetTruthRatio forget_Truth_Ratio
 * @param retainProb       retain_Q_A_Prob
 * @param retainRouge      retain_Q_A_ROUGE
 * @param privleak         privleak (Min-K% AUC vs retain)
 * @param extractionStrength extraction_strength on the forget set
 * @param wallSeconds      wall-clock seconds of the method (and/or evaluation, as the caller defines)
 * @param extra            further named numbers, shown as extra columns in name order
 */
public record ResultRow(String method, String split, long seed, Double forgetQuality, Double modelUtility,
                        Double forgetProb, Double forgetRouge, Double forgetTruthRatio, Double retainProb,
                        Double retainRouge, Double privleak, Double extractionStrength, Double wallSeconds,
                        Map<String, Double> extra) {

    public ResultRow {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(split, "split");
        extra = Collections.unmodifiableMap(new TreeMap<>(extra == null ? Map.of() : extra));
    }

    /** The row of one evaluation log; metrics absent from the log are null. */
    public static ResultRow fromLog(String method, String split, long seed, EvalLog log, Double wallSeconds) {
        return new ResultRow(method, split, seed, agg(log, TofuMetrics.FORGET_QUALITY), agg(log, TofuMetrics.MODEL_UTILITY),
                agg(log, "forget_Q_A_Prob"), agg(log, "forget_Q_A_ROUGE"), agg(log, TofuMetrics.FORGET_TRUTH_RATIO),
                agg(log, "retain_Q_A_Prob"), agg(log, "retain_Q_A_ROUGE"), agg(log, TofuMetrics.PRIVLEAK),
                agg(log, "extraction_strength"), wallSeconds, Map.of());
    }

    /** The same row with one more extra column. */
    public ResultRow withExtra(String name, Double value) {
        Map<String, Double> m = new TreeMap<>(extra);
        m.put(name, value);
        return new ResultRow(method, split, seed, forgetQuality, modelUtility, forgetProb, forgetRouge,
                forgetTruthRatio, retainProb, retainRouge, privleak, extractionStrength, wallSeconds, m);
    }

    private static Double agg(EvalLog log, String metric) {
        return log.get(metric).map(MetricResult::aggValue).orElse(null);
    }

    /** The extra column names of {@code rows}, in name order: the tables' columns after their fixed ones. */
    public static List<String> extraKeys(Stream<ResultRow> rows) {
        return rows.flatMap(r -> r.extra().keySet().stream()).distinct().sorted().toList();
    }
}

package dev.lethe.eval.metrics.tofu;

import dev.lethe.eval.metrics.TruthRatio;
import dev.lethe.eval.metrics.engine.Metric;
import dev.lethe.eval.metrics.engine.MetricContext;
import dev.lethe.eval.metrics.engine.MetricResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OU's {@code truth_ratio} handler (spec §2.4), from the avg-losses of a "correct" and a "wrong"
 * probability metric: per item {@code {"score": R}} with R = wrong/correct (geometric mean over the
 * wrong answers), aggregated by the configured {@link TruthRatio.Aggregator}.
 */
public final class TruthRatioMetric implements Metric {

    private final String name;
    private final String correct;
    private final String wrong;
    private final TruthRatio.Aggregator aggregator;

    public TruthRatioMetric(String name, String correctMetric, String wrongMetric, TruthRatio.Aggregator aggregator) {
        this.name = name;
        this.correct = correctMetric;
        this.wrong = wrongMetric;
        this.aggregator = aggregator;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> dependencies() {
        return List.of(correct, wrong);
    }

    public TruthRatio.Aggregator aggregator() {
        return aggregator;
    }

    @Override
    public MetricResult compute(MetricContext ctx, Map<String, MetricResult> deps) {
        MetricResult c = deps.get(correct);
        MetricResult w = deps.get(wrong);
        Pairing.requireSameIndices(name, correct, c, wrong, w);
        Map<String, Map<String, Object>> byIndex = new LinkedHashMap<>();
        for (String idx : c.valueByIndex().keySet()) {
            Object cl = c.entry(idx) == null ? null : c.entry(idx).get("avg_loss");
            Object wl = w.entry(idx) == null ? null : w.entry(idx).get("avg_loss");
            if (cl == null || wl == null) {
                continue;
            }
            // aggregate_to_1D: a list of correct losses (rare) is averaged too.
            double correctLoss = mean(Pairing.numbers(cl, correct, idx, "avg_loss"));
            double r = aggregator.perItem(correctLoss, Pairing.numbers(wl, wrong, idx, "avg_loss"));
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("score", r);
            byIndex.put(idx, e);
        }
        double[] scores = byIndex.values().stream().mapToDouble(e -> (Double) e.get("score")).toArray();
        return MetricResult.of(aggregator.aggregate(scores), byIndex);
    }

    private static double mean(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s / xs.length;
    }
}

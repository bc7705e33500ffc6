package dev.lethe.eval.metrics.tofu;

import dev.lethe.eval.metrics.Probabilities;
import dev.lethe.eval.metrics.Stats;
import dev.lethe.eval.metrics.engine.Metric;
import dev.lethe.eval.metrics.engine.MetricContext;
import dev.lethe.eval.metrics.engine.MetricResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OU's {@code probability_w_options} (spec §2.2): {@code p̄_c / (p̄_c + Σ p̄_w + 1e-10)} per item from
 * the "correct" and "wrong" probability metrics; aggregate = mean.
 */
public final class NormalisedProbabilityMetric implements Metric {

    private final String name;
    private final String correct;
    private final String wrong;

    public NormalisedProbabilityMetric(String name, String correctMetric, String wrongMetric) {
        this.name = name;
        this.correct = correctMetric;
        this.wrong = wrongMetric;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> dependencies() {
        return List.of(correct, wrong);
    }

    @Override
    public MetricResult compute(MetricContext ctx, Map<String, MetricResult> deps) {
        MetricResult c = deps.get(correct);
        MetricResult w = deps.get(wrong);
        Pairing.requireSameIndices(name, correct, c, wrong, w);
        Map<String, Map<String, Object>> byIndex = new LinkedHashMap<>();
        List<Double> values = new ArrayList<>();
        for (String idx : c.valueByIndex().keySet()) {
            Object cp = field(c, idx);
            Object wp = field(w, idx);
            if (cp == null || wp == null) {
                continue; // OU filters items whose scores are None
            }
            double[] wrongProbs = Pairing.numbers(wp, wrong, idx, "prob");
            double v = Probabilities.normalised(((Number) cp).doubleValue(), wrongProbs);
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("prob", v);
            byIndex.put(idx, e);
            values.add(v);
        }
        return MetricResult.of(Stats.mean(values), byIndex);
    }

    private static Object field(MetricResult r, String idx) {
        Map<String, Object> e = r.entry(idx);
        return e == null ? null : e.get("prob");
    }
}

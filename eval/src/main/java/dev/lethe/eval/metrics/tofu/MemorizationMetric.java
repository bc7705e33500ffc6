package dev.lethe.eval.metrics.tofu;

import dev.lethe.eval.metrics.Memorization;
import dev.lethe.eval.metrics.Stats;
import dev.lethe.eval.metrics.engine.ItemScores;
import dev.lethe.eval.metrics.engine.Metric;
import dev.lethe.eval.metrics.engine.MetricContext;
import dev.lethe.eval.metrics.engine.MetricResult;
import dev.lethe.eval.metrics.engine.SplitData;
import dev.lethe.eval.metrics.engine.TokenTrace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OU's {@code exact_memorization} and {@code extraction_strength}: teacher-forced argmax against the
 * labels of the answer, EOS position dropped; aggregate = mean over items with a score.
 */
public final class MemorizationMetric implements Metric {

    /** Which of the two memorisation scores. */
    public enum Kind { EXACT_MEMORIZATION, EXTRACTION_STRENGTH }

    private final String name;
    private final String split;
    private final Kind kind;

    public MemorizationMetric(String name, String split, Kind kind) {
        this.name = name;
        this.split = split;
        this.kind = kind;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public MetricResult compute(MetricContext ctx, Map<String, MetricResult> deps) {
        SplitData data = ctx.split(split, name);
        Map<String, Map<String, Object>> byIndex = new LinkedHashMap<>();
        List<Double> values = new ArrayList<>();
        for (ItemScores item : data.items()) {
            TokenTrace t = data.require(item, ItemScores::trace, "trace", name).withoutLast();
            if (t.labels() == null || t.predictions() == null) {
                throw new IllegalStateException("metric '" + name + "' needs trace.labels and trace.predictions for split '"
                        + split + "' index " + item.index());
            }
            Double score = kind == Kind.EXACT_MEMORIZATION
                    ? Memorization.exactMemorization(t.predictions(), t.labels())
                    : Double.valueOf(Memorization.extractionStrength(t.predictions(), t.labels()));
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("score", score);
            byIndex.put(Integer.toString(item.index()), e);
            if (score != null) {
                values.add(score);
            }
        }
        return MetricResult.of(Stats.mean(values), byIndex);
    }
}

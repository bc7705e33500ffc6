package dev.lethe.eval.metrics.tofu;

import dev.lethe.eval.metrics.AnswerScore;
import dev.lethe.eval.metrics.Stats;
import dev.lethe.eval.metrics.engine.ItemScores;
import dev.lethe.eval.metrics.engine.Metric;
import dev.lethe.eval.metrics.engine.MetricContext;
import dev.lethe.eval.metrics.engine.MetricResult;
import dev.lethe.eval.metrics.engine.SplitData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OU's {@code probability} handler (spec §2.1): per item {@code {"prob": p̄, "avg_loss": ℓ}} (lists for
 * perturbed answers); aggregate = mean over items of the per-item mean prob.
 */
public final class ProbabilityMetric implements Metric {

    private final String name;
    private final String split;
    private final AnswerKind kind;

    public ProbabilityMetric(String name, String split, AnswerKind kind) {
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
        List<Double> perItem = new ArrayList<>();
        for (ItemScores item : data.items()) {
            Map<String, Object> entry = new LinkedHashMap<>();
            switch (kind) {
                case ANSWER -> put(entry, item.answer(), perItem);
                case PARAPHRASED -> put(entry, data.require(item, ItemScores::paraphrased, "paraphrased", name), perItem);
                case PERTURBED -> {
                    List<AnswerScore> wrong = item.perturbed();
                    if (wrong.isEmpty()) {
                        throw new IllegalStateException("metric '" + name + "' needs perturbed answers for split '"
                                + split + "' index " + item.index() + ", but there are none");
                    }
                    List<Double> probs = new ArrayList<>();
                    List<Double> losses = new ArrayList<>();
                    for (AnswerScore w : wrong) {
                        probs.add(w.prob());
                        losses.add(w.avgLoss());
                    }
                    entry.put("prob", probs);
                    entry.put("avg_loss", losses);
                    perItem.add(Stats.mean(probs));
                }
                default -> throw new AssertionError(kind);
            }
            byIndex.put(Integer.toString(item.index()), entry);
        }
        return MetricResult.of(Stats.mean(perItem), byIndex);
    }

    private static void put(Map<String, Object> entry, AnswerScore s, List<Double> perItem) {
        entry.put("prob", s.prob());
        entry.put("avg_loss", s.avgLoss());
        perItem.add(s.prob());
    }
}

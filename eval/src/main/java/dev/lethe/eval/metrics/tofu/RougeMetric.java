package dev.lethe.eval.metrics.tofu;

import dev.lethe.eval.metrics.Rouge;
import dev.lethe.eval.metrics.RougeScores;
import dev.lethe.eval.metrics.Stats;
import dev.lethe.eval.metrics.engine.Generation;
import dev.lethe.eval.metrics.engine.ItemScores;
import dev.lethe.eval.metrics.engine.Metric;
import dev.lethe.eval.metrics.engine.MetricContext;
import dev.lethe.eval.metrics.engine.MetricResult;
import dev.lethe.eval.metrics.engine.SplitData;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OU's {@code rouge} handler (spec §2.3): ROUGE of each generation against its ground truth, with the
 * audit strings kept per index; aggregate = mean of the chosen field ({@code rougeL_recall} for TOFU).
 */
public final class RougeMetric implements Metric {

    /** Field TOFU aggregates. */
    public static final String ROUGE_L_RECALL = "rougeL_recall";

    private final String name;
    private final String split;
    private final String rougeType;
    private final Rouge rouge = new Rouge();

    public RougeMetric(String name, String split, String rougeType) {
        if (!rougeType.equals("rouge1_recall") && !rougeType.equals("rougeL_f1") && !rougeType.equals(ROUGE_L_RECALL)) {
            throw new IllegalArgumentException("rouge_type must be rouge1_recall, rougeL_f1 or rougeL_recall, got " + rougeType);
        }
        this.name = name;
        this.split = split;
        this.rougeType = rougeType;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public MetricResult compute(MetricContext ctx, Map<String, MetricResult> deps) {
        SplitData data = ctx.split(split, name);
        Map<String, Map<String, Object>> byIndex = new LinkedHashMap<>();
        double[] agg = new double[data.items().size()];
        int i = 0;
        for (ItemScores item : data.items()) {
            Generation g = data.require(item, ItemScores::generation, "generation", name);
            RougeScores s = rouge.score(g.groundTruth(), g.generation());
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("rouge1_recall", s.rouge1().recall());
            e.put("rougeL_f1", s.rougeL().f1());
            e.put("rougeL_recall", s.rougeL().recall());
            e.put("input", g.input());
            e.put("ground_truth", g.groundTruth());
            e.put("generation", g.generation());
            byIndex.put(Integer.toString(item.index()), e);
            agg[i++] = ((Number) e.get(rougeType)).doubleValue();
        }
        return MetricResult.of(Stats.mean(agg), byIndex);
    }
}

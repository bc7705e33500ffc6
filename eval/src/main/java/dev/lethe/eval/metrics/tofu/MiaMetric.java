package dev.lethe.eval.metrics.tofu;

import dev.lethe.eval.metrics.RocAuc;
import dev.lethe.eval.metrics.Stats;
import dev.lethe.eval.metrics.engine.ItemScores;
import dev.lethe.eval.metrics.engine.Metric;
import dev.lethe.eval.metrics.engine.MetricContext;
import dev.lethe.eval.metrics.engine.MetricResult;
import dev.lethe.eval.metrics.engine.SplitData;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OU's {@code mia_auc}: scores forget and holdout items with one attack, AUC with forget = 0 and
 * holdout = 1. Result layout as OU: {@code forget}, {@code holdout} (each agg + per index),
 * {@code auc}, and {@code agg_value} = AUC.
 */
public final class MiaMetric implements Metric {

    private final String name;
    private final MiaAttack attack;
    private final String forgetSplit;
    private final String holdoutSplit;

    public MiaMetric(String name, MiaAttack attack, String forgetSplit, String holdoutSplit) {
        this.name = name;
        this.attack = attack;
        this.forgetSplit = forgetSplit;
        this.holdoutSplit = holdoutSplit;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public MetricResult compute(MetricContext ctx, Map<String, MetricResult> deps) {
        MetricResult forget = scoreSplit(ctx, ctx.split(forgetSplit, name));
        MetricResult holdout = scoreSplit(ctx, ctx.split(holdoutSplit, name));
        double auc = RocAuc.forgetVsHoldout(forget.rowMeans("score", name), holdout.rowMeans("score", name));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("forget", forget);
        extra.put("holdout", holdout);
        extra.put("auc", auc);
        return new MetricResult(auc, Map.of(), extra);
    }

    private MetricResult scoreSplit(MetricContext ctx, SplitData split) {
        Map<String, Map<String, Object>> byIndex = new LinkedHashMap<>();
        double[] scores = new double[split.items().size()];
        int i = 0;
        for (ItemScores item : split.items()) {
            double s = attack.score(split, item, ctx.params(), name);
            scores[i++] = s;
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("score", s);
            byIndex.put(Integer.toString(item.index()), e);
        }
        return MetricResult.of(Stats.mean(scores), byIndex);
    }
}

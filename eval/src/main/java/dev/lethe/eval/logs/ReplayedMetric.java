package dev.lethe.eval.logs;

import dev.lethe.eval.metrics.RocAuc;
import dev.lethe.eval.metrics.Stats;
import dev.lethe.eval.metrics.TruthRatio;
import dev.lethe.eval.metrics.engine.Metric;
import dev.lethe.eval.metrics.engine.MetricContext;
import dev.lethe.eval.metrics.engine.MetricResult;
import java.util.Map;

/**
 * A metric read back from a {@code TOFU_EVAL.json} whose aggregate is recomputed from its stored
 * per-index values with the rule of its OU handler (chosen by OU's naming). Metrics whose handler is
 * unknown keep their stored aggregate.
 */
final class ReplayedMetric implements Metric {

    private final String name;
    private final MetricResult stored;

    ReplayedMetric(String name, MetricResult stored) {
        this.name = name;
        this.stored = stored;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public MetricResult compute(MetricContext ctx, Map<String, MetricResult> deps) {
        return new MetricResult(reaggregate(name, stored), stored.valueByIndex(), stored.extra());
    }

    /** True when {@link #reaggregate} has a rule for this metric name. */
    static boolean hasRule(String name) {
        return name.contains("ROUGE") || name.endsWith("_Prob") || name.endsWith("_Prob_normalised")
                || name.endsWith("_Truth_Ratio") || name.startsWith("mia_")
                || name.equals("exact_memorization") || name.equals("extraction_strength");
    }

    static Double reaggregate(String name, MetricResult r) {
        if (name.contains("ROUGE")) {
            return Stats.mean(r.rowMeans("rougeL_recall", name));
        }
        if (name.endsWith("_Prob") || name.endsWith("_Prob_normalised")) {
            return Stats.mean(r.rowMeans("prob", name));
        }
        if (name.endsWith("_Truth_Ratio")) {
            TruthRatio.Aggregator agg = name.startsWith("forget_")
                    ? TruthRatio.Aggregator.CLOSER_TO_1_BETTER : TruthRatio.Aggregator.TRUE_BETTER;
            return agg.aggregate(r.rowMeans("score", name));
        }
        if (name.startsWith("mia_")) {
            Object f = r.extra().get("forget");
            Object h = r.extra().get("holdout");
            if (f instanceof MetricResult fr && h instanceof MetricResult hr) {
                return RocAuc.forgetVsHoldout(fr.rowMeans("score", name + ".forget"), hr.rowMeans("score", name + ".holdout"));
            }
            return r.aggValue();
        }
        if (name.equals("exact_memorization") || name.equals("extraction_strength")) {
            return Stats.mean(r.rowMeans("score", name));
        }
        return r.aggValue();
    }
}

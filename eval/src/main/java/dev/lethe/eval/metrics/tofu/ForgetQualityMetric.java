package dev.lethe.eval.metrics.tofu;

import dev.lethe.eval.metrics.ForgetQuality;
import dev.lethe.eval.metrics.engine.EvalLog;
import dev.lethe.eval.metrics.engine.Metric;
import dev.lethe.eval.metrics.engine.MetricContext;
import dev.lethe.eval.metrics.engine.MetricResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * OU's {@code ks_test} as {@code forget_quality} (spec §2.5): KS p-value between this model's
 * per-item forget truth ratios and the retain model's, read from the retain log's
 * {@code forget_Truth_Ratio.value_by_index[*].score}. No retain log → null, as OU.
 */
public final class ForgetQualityMetric implements Metric {

    private static final Logger LOG = Logger.getLogger(ForgetQualityMetric.class.getName());

    private final String name;
    private final String truthRatioMetric;

    public ForgetQualityMetric(String name, String truthRatioMetric) {
        this.name = name;
        this.truthRatioMetric = truthRatioMetric;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> dependencies() {
        return List.of(truthRatioMetric);
    }

    @Override
    public MetricResult compute(MetricContext ctx, Map<String, MetricResult> deps) {
        double[] model = deps.get(truthRatioMetric).rowMeans("score", truthRatioMetric);
        Optional<EvalLog> retain = ctx.retain();
        if (retain.isEmpty()) {
            LOG.warning("no retain model log given: " + name + " is null");
            return MetricResult.aggregateOnly(null);
        }
        double[] reference = retain.get().require(truthRatioMetric).rowMeans("score",
                retain.get().describe() + ":" + truthRatioMetric);
        return MetricResult.aggregateOnly(ForgetQuality.pValue(model, reference));
    }
}

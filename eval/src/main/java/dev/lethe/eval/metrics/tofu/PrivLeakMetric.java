package dev.lethe.eval.metrics.tofu;

import dev.lethe.eval.metrics.PrivLeak;
import dev.lethe.eval.metrics.engine.EvalLog;
import dev.lethe.eval.metrics.engine.Metric;
import dev.lethe.eval.metrics.engine.MetricContext;
import dev.lethe.eval.metrics.engine.MetricResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * OU's {@code privleak} (spec §2.7) over an MIA metric: compares this model's AUC with the retain
 * log's AUC of the same metric, or with {@code MetricParams.privleakRetainAuc} (0.5) without a log.
 */
public final class PrivLeakMetric implements Metric {

    private final String name;
    private final String miaMetric;

    public PrivLeakMetric(String name, String miaMetric) {
        this.name = name;
        this.miaMetric = miaMetric;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> dependencies() {
        return List.of(miaMetric);
    }

    @Override
    public MetricResult compute(MetricContext ctx, Map<String, MetricResult> deps) {
        Double auc = deps.get(miaMetric).aggValue();
        if (auc == null) {
            throw new IllegalStateException("metric '" + name + "': '" + miaMetric + "' has no AUC");
        }
        double ref = ctx.params().privleakRetainAuc();
        Optional<EvalLog> retain = ctx.retain();
        if (retain.isPresent() && retain.get().get(miaMetric).map(MetricResult::aggValue).isPresent()) {
            ref = retain.get().get(miaMetric).get().aggValue();
        }
        return MetricResult.aggregateOnly(PrivLeak.privleak(auc, ref));
    }
}

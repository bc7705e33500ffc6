package dev.lethe.eval.metrics.tofu;

import dev.lethe.eval.metrics.ModelUtility;
import dev.lethe.eval.metrics.engine.Metric;
import dev.lethe.eval.metrics.engine.MetricContext;
import dev.lethe.eval.metrics.engine.MetricResult;
import java.util.List;
import java.util.Map;

/** OU's {@code hm_aggregate} (spec §2.6): harmonic mean of its dependencies' aggregates. */
public final class ModelUtilityMetric implements Metric {

    private final String name;
    private final List<String> components;

    public ModelUtilityMetric(String name, List<String> components) {
        this.name = name;
        this.components = List.copyOf(components);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> dependencies() {
        return components;
    }

    @Override
    public MetricResult compute(MetricContext ctx, Map<String, MetricResult> deps) {
        double[] values = new double[components.size()];
        for (int i = 0; i < values.length; i++) {
            Double v = deps.get(components.get(i)).aggValue();
            if (v == null) {
                throw new IllegalStateException("metric '" + name + "': component '" + components.get(i)
                        + "' has no aggregate value");
            }
            values[i] = v;
        }
        return MetricResult.aggregateOnly(ModelUtility.harmonicMean(values));
    }
}

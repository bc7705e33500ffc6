package dev.lethe.eval.metrics.engine;

import java.util.List;
import java.util.Map;

/**
 * One named metric, OU-style: it declares the metrics it is computed from ({@code pre_compute}),
 * and gets their results, already computed, together with the context.
 */
public interface Metric {

    /** Registry key and {@code TOFU_EVAL.json} key, e.g. {@code forget_Truth_Ratio}. */
    String name();

    /** Names of metrics whose results {@link #compute} receives; computed first, each once. */
    default List<String> dependencies() {
        return List.of();
    }

    /**
     * @param ctx  per-sample data and references
     * @param deps result of every name in {@link #dependencies()}
     */
    MetricResult compute(MetricContext ctx, Map<String, MetricResult> deps);
}

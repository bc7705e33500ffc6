package dev.lethe.eval.metrics.engine;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A whole {@code TOFU_EVAL.json}: metric name → {@link MetricResult}, including the pre-computed
 * dependencies (OU keeps them all, which is what lets a retain run serve as forget-quality reference).
 *
 * @param source  file it was read from, or null for one built in memory (used in error messages)
 * @param metrics results in insertion order
 */
public record EvalLog(Path source, Map<String, MetricResult> metrics) {

    public EvalLog {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    public Optional<MetricResult> get(String metric) {
        return Optional.ofNullable(metrics.get(metric));
    }

    /** The named metric or an error naming the file. */
    public MetricResult require(String metric) {
        MetricResult r = metrics.get(metric);
        if (r == null) {
            throw new IllegalStateException((source == null ? "eval log" : source.toString())
                    + " has no metric '" + metric + "' (has " + metrics.keySet() + ")");
        }
        return r;
    }

    public String describe() {
        return source == null ? "in-memory eval log" : source.toString();
    }
}

package dev.lethe.eval.metrics.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One metric's entry in {@code TOFU_EVAL.json}: OU's {@code {"agg_value": …, "value_by_index": {…}}}
 * plus any extra keys (the MIA metrics also keep {@code forget}, {@code holdout} and {@code auc}).
 *
 * <p>Per-index entries are maps of field → value where a value is a {@link Number}, a {@link String},
 * a {@code List<Number>} (one per answer option) or null, exactly what a JSON reader gives back.
 *
 * @param aggValue     the aggregate, null when undefined (OU writes None, e.g. FQ without retain logs)
 * @param valueByIndex index (as a string, in dataset order) → fields; empty for aggregate-only metrics
 * @param extra        further keys in output order; values are numbers, strings or nested results
 */
public record MetricResult(Double aggValue, Map<String, Map<String, Object>> valueByIndex, Map<String, Object> extra) {

    public MetricResult {
        valueByIndex = Collections.unmodifiableMap(new LinkedHashMap<>(valueByIndex == null ? Map.of() : valueByIndex));
        extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra == null ? Map.of() : extra));
    }

    public static MetricResult aggregateOnly(Double aggValue) {
        return new MetricResult(aggValue, Map.of(), Map.of());
    }

    public static MetricResult of(Double aggValue, Map<String, Map<String, Object>> valueByIndex) {
        return new MetricResult(aggValue, valueByIndex, Map.of());
    }

    /**
     * The per-index field as one number per index, averaging list values (OU's {@code aggregate_to_1D});
     * null entries are skipped as OU filters None.
     */
    public double[] rowMeans(String field, String metricName) {
        return valueByIndex.entrySet().stream()
                .filter(e -> e.getValue() != null && e.getValue().get(field) != null)
                .mapToDouble(e -> toRowMean(e.getValue().get(field), metricName, e.getKey(), field))
                .toArray();
    }

    /** The per-index entry for {@code index}, or null if absent. */
    public Map<String, Object> entry(String index) {
        return valueByIndex.get(index);
    }

    static double toRowMean(Object v, String metric, String index, String field) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof List<?> list && !list.isEmpty()) {
            double s = 0;
            for (Object o : list) {
                if (!(o instanceof Number n)) {
                    throw new IllegalStateException(metric + ".value_by_index[" + index + "]." + field
                            + " holds a non-number: " + o);
                }
                s += n.doubleValue();
            }
            return s / list.size();
        }
        throw new IllegalStateException(metric + ".value_by_index[" + index + "]." + field
                + " is not a number or a non-empty list of numbers: " + v);
    }
}

package dev.lethe.eval.metrics.tofu;

import dev.lethe.eval.metrics.engine.MetricResult;
import java.util.List;

/** Helpers for metrics that combine two per-index results item by item. */
final class Pairing {

    private Pairing() { }

    /** OU asserts {@code correct_indices == wrong_indices}; so do we, with the metric names in the message. */
    static void requireSameIndices(String metric, String aName, MetricResult a, String bName, MetricResult b) {
        if (!a.valueByIndex().keySet().equals(b.valueByIndex().keySet())) {
            throw new IllegalStateException("metric '" + metric + "': '" + aName + "' and '" + bName
                    + "' cover different item indices (" + a.valueByIndex().size() + " vs "
                    + b.valueByIndex().size() + " items)");
        }
    }

    /** A number or a list of numbers as an array. */
    static double[] numbers(Object v, String metric, String idx, String field) {
        if (v instanceof Number n) {
            return new double[] {n.doubleValue()};
        }
        if (v instanceof List<?> l && !l.isEmpty()) {
            double[] out = new double[l.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(l.get(i) instanceof Number n)) {
                    throw new IllegalStateException(metric + ".value_by_index[" + idx + "]." + field + "[" + i
                            + "] is not a number: " + l.get(i));
                }
                out[i] = n.doubleValue();
            }
            return out;
        }
        throw new IllegalStateException(metric + ".value_by_index[" + idx + "]." + field
                + " is not a number or a non-empty list: " + v);
    }
}

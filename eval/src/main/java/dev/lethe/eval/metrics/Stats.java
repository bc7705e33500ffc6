package dev.lethe.eval.metrics;

import java.util.Collection;

/** Small aggregation helpers with numpy's semantics where TOFU relies on them. */
public final class Stats {

    private Stats() { }

    /** Arithmetic mean; NaN for an empty array, as {@code np.mean([])} (which also warns). */
    public static double mean(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s / values.length;
    }

    public static double mean(Collection<? extends Number> values) {
        return mean(values.stream().mapToDouble(Number::doubleValue).toArray());
    }

    /** Row means, OU's {@code aggregate_to_1D} for a 2-D array (one row per item). */
    public static double[] rowMeans(double[][] rows) {
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = mean(rows[i]);
        }
        return out;
    }
}

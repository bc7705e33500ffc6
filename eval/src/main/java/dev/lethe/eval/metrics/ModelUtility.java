package dev.lethe.eval.metrics;

/**
 * Model utility (spec §2.6): {@code scipy.stats.hmean} of the nine retain / real-authors /
 * world-facts numbers {Prob, ROUGE-L recall, truth ratio}.
 */
public final class ModelUtility {

    /** Number of components TOFU's model utility combines. */
    public static final int TOFU_COMPONENTS = 9;

    private ModelUtility() { }

    /**
     * Harmonic mean with SciPy's conventions: any zero gives 0 (GradAscent collapses MU this way),
     * a NaN propagates, a negative value is an error.
     */
    public static double harmonicMean(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("harmonic mean of no values");
        }
        double invSum = 0;
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (Double.isNaN(v)) {
                return Double.NaN;
            }
            if (v < 0) {
                throw new IllegalArgumentException("harmonic mean needs values >= 0; value " + i + " is " + v);
            }
            if (v == 0) {
                return 0.0;
            }
            invSum += 1 / v;
        }
        return values.length / invSum;
    }
}

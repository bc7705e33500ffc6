package dev.lethe.eval.metrics;

/**
 * open-unlearning's {@code privleak} and {@code rel_diff} (spec §2.7).
 *
 * <p>MUSE reports AUC as 1 − x, so privleak flips both AUCs first: with {@code s = 1 − AUC_model} and
 * {@code r = 1 − AUC_retain}, privleak = {@code (s − r)/(r + 1e-10)·100}: ≈ −100 for an
 * under-unlearned model, 0 for one indistinguishable from the retain model, > 0 over-unlearned.
 */
public final class PrivLeak {

    /** OU's {@code ref_value} when no retain log is given. */
    public static final double DEFAULT_RETAIN_AUC = 0.5;
    private static final double EPS = 1e-10;

    private PrivLeak() { }

    public static double privleak(double modelAuc, double retainAuc) {
        double s = 1 - modelAuc;
        double r = 1 - retainAuc;
        return (s - r) / (r + EPS) * 100;
    }

    /** The same relative difference without the 1 − x flip. */
    public static double relDiff(double score, double reference) {
        return (score - reference) / (reference + EPS) * 100;
    }
}

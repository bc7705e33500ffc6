package dev.lethe.eco;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * Split-conformal calibration of the gate (eco.md §3; Lethe design — the reference code has none).
 *
 * <p>Given margins of n held-out forget prompts, exchangeable with future forget prompts, and a target miss
 * rate α: {@code k = ⌈(n+1)(1−α)⌉}, {@code m̂} = k-th largest margin, flag iff {@code m ≥ m̂}. Then a new
 * forget prompt is flagged with probability ≥ 1 − α (and ≤ 1 − α + 1/(n+1) without ties). Nothing is
 * guaranteed for benign prompts; {@link #withFalsePositiveBound} adds the optional bound on them.
 */
public final class ConformalThreshold {

    private ConformalThreshold() {}

    /**
     * {@code ⌈(n+1)(1−α)⌉} in decimal arithmetic, so that α = 0.1, n = 19 gives exactly 18 (binary
     * floating point gives 18.000000000000004 and a ceiling of 19).
     */
    public static int rank(int n, double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        return BigDecimal.valueOf(n + 1L).multiply(BigDecimal.ONE.subtract(BigDecimal.valueOf(alpha)))
                .setScale(0, RoundingMode.CEILING).intValueExact();
    }

    /** Smallest calibration set for which a finite threshold exists: {@code n ≥ 1/α − 1}. */
    public static int minimumSize(double alpha) {
        int n = 1;
        while (rank(n, alpha) > n) {
            n++;
        }
        return n;
    }

    /**
     * @param margins classifier margins of the calibration prompts (all forget-positive)
     * @param alpha target miss rate
     * @param allowFlagAll when n is too small: flag everything (τ̂ = 0) instead of failing
     */
    public static Threshold calibrate(double[] margins, double alpha, boolean allowFlagAll) {
        int n = margins.length;
        int k = rank(n, alpha);
        if (k > n) {
            if (!allowFlagAll) {
                throw new IllegalArgumentException("conformal calibration with alpha = " + alpha + " needs at least "
                        + minimumSize(alpha) + " calibration prompts, got " + n
                        + " (or accept flagging every prompt)");
            }
            return new Threshold(Threshold.Mode.CONFORMAL, Double.NEGATIVE_INFINITY, true, alpha, n, k, Double.NaN, 0,
                    Double.NaN);
        }
        for (double m : margins) {
            if (Double.isNaN(m)) {
                throw new IllegalArgumentException("NaN classifier margin in the calibration set");
            }
        }
        double[] sorted = margins.clone();
        Arrays.sort(sorted); // ascending: the k-th largest is at n − k
        return new Threshold(Threshold.Mode.CONFORMAL, sorted[n - k], true, alpha, n, k, Double.NaN, 0, Double.NaN);
    }

    /**
     * Adds the FPR-controlled bound (§3.2): with benign margins {@code t}, {@code k' = ⌈(N+1)(1−β)⌉},
     * {@code t_(k')} the k'-th smallest; flagging also requires {@code m > t_(k')}, so a new benign prompt is
     * flagged with probability ≤ β. The miss-rate cutoff is kept; if the two bounds cannot both hold
     * ({@code t_(k') ≥ m̂}) the request is infeasible and this fails rather than choose one silently.
     */
    public static Threshold withFalsePositiveBound(Threshold conformal, double[] benignMargins, double beta) {
        int big = benignMargins.length;
        int k = rank(big, beta);
        if (k > big) {
            throw new IllegalArgumentException("the benign-prompt bound with beta = " + beta + " needs at least "
                    + minimumSize(beta) + " benign calibration prompts, got " + big);
        }
        double[] sorted = benignMargins.clone();
        Arrays.sort(sorted);
        double cut = sorted[k - 1];
        if (conformal.mode() == Threshold.Mode.CONFORMAL && cut >= conformal.marginCutoff()) {
            throw new IllegalStateException(String.format(
                    "infeasible: miss rate <= %s needs tau <= %.6g but benign flag rate <= %s needs tau > %.6g",
                    conformal.alpha(), conformal.tau(), beta, Threshold.sigmoid(cut)));
        }
        return new Threshold(conformal.mode(), conformal.marginCutoff(), conformal.inclusive(), conformal.alpha(),
                conformal.n(), conformal.k(), beta, big, cut);
    }
}

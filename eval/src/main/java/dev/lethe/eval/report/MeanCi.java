package dev.lethe.eval.report;

import org.apache.commons.statistics.distribution.TDistribution;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Mean of a few per-seed values with the half-width of its two-sided 95 % confidence interval from the
 * t-distribution with n − 1 degrees of freedom: with the 3–5 seeds an unlearning table can afford, the
 * normal 1.96 would understate the interval by a factor of up to 2 (t₀.₉₇₅,₂ = 4.30).
 *
 * @param mean      mean of the finite values (NaN when there are none)
 * @param halfWidth t₀.₉₇₅,ₙ₋₁ · s / √n; NaN for fewer than two values, where no interval exists
 * @param n         how many finite values went in (missing and NaN values are left out, not counted as 0)
 */
public record MeanCi(double mean, double halfWidth, int n) {

    /** Two-sided 95 %. */
    public static final double LEVEL = 0.95;

    public static MeanCi of(List<Double> values) {
        double[] v = values.stream().filter(Objects::nonNull).mapToDouble(Double::doubleValue)
                .filter(Double::isFinite).toArray();
        int n = v.length;
        if (n == 0) {
            return new MeanCi(Double.NaN, Double.NaN, 0);
        }
        double mean = 0;
        for (double x : v) {
            mean += x;
        }
        mean /= n;
        if (n < 2) {
            return new MeanCi(mean, Double.NaN, n);
        }
        double ss = 0;
        for (double x : v) {
            ss += (x - mean) * (x - mean);
        }
        double sd = Math.sqrt(ss / (n - 1));
        double t = TDistribution.of(n - 1).inverseSurvivalProbability((1 - LEVEL) / 2);
        return new MeanCi(mean, t * sd / Math.sqrt(n), n);
    }

    /** "0.512 ± 0.031" with the given number format ({@code %.3f}, {@code %.2e}); "–" when empty. */
    public String format(String pattern) {
        if (n == 0) {
            return "–";
        }
        String m = String.format(Locale.ROOT, pattern, mean);
        return Double.isNaN(halfWidth) ? m : m + " ± " + String.format(Locale.ROOT, pattern, halfWidth);
    }
}

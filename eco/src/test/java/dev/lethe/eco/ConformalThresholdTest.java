package dev.lethe.eco;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConformalThresholdTest {

    @Test
    void indexArithmetic() {
        assertEquals(18, ConformalThreshold.rank(19, 0.1));
        assertEquals(9, ConformalThreshold.rank(9, 0.1));
        assertEquals(9, ConformalThreshold.rank(8, 0.1));
        assertEquals(9, ConformalThreshold.minimumSize(0.1));
        assertEquals(19, ConformalThreshold.minimumSize(0.05));
        double[] nine = {5, 1, 3, 2, 4, 9, 8, 7, 6};
        assertEquals(1, ConformalThreshold.calibrate(nine, 0.1, false).marginCutoff(), "k = n: the smallest margin");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConformalThreshold.calibrate(Arrays.copyOf(nine, 8), 0.1, false));
        assertTrue(e.getMessage().contains("at least 9"), e.getMessage());
        Threshold all = ConformalThreshold.calibrate(Arrays.copyOf(nine, 8), 0.1, true);
        assertTrue(all.flags(-1e300));
        assertEquals(0, all.tau());
    }

    @Test
    void tiesFlagEveryCalibrationPrompt() {
        double[] same = new double[20];
        Arrays.fill(same, 2.5);
        Threshold t = ConformalThreshold.calibrate(same, 0.1, false);
        assertEquals(Threshold.sigmoid(2.5), t.tau(), 0);
        for (double m : same) {
            assertTrue(t.flags(m));
        }
    }

    @Test
    void monotoneInAlphaAndOrderInvariant() {
        Random r = new Random(1);
        double[] m = new double[200];
        for (int i = 0; i < m.length; i++) {
            m[i] = r.nextGaussian() * 3;
        }
        double prev = Double.NEGATIVE_INFINITY;
        for (double alpha : new double[] {0.01, 0.02, 0.05, 0.1, 0.2, 0.5}) {
            double tau = ConformalThreshold.calibrate(m, alpha, false).tau();
            assertTrue(tau >= prev, "smaller alpha never gives a larger tau");
            prev = tau;
        }
        double[] shuffled = m.clone();
        for (int i = shuffled.length - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            double x = shuffled[i];
            shuffled[i] = shuffled[j];
            shuffled[j] = x;
        }
        assertEquals(ConformalThreshold.calibrate(m, 0.1, false), ConformalThreshold.calibrate(shuffled, 0.1, false));
    }

    @Test
    void fixedModeIsTheReferenceRule() {
        Threshold t = Threshold.fixed(0.9999);
        double logit = Math.log(0.9999 / 0.0001);
        assertFalse(t.flags(logit - 1e-9));
        assertTrue(t.flags(logit + 1e-6));
        Threshold low = Threshold.fixed(0.3); // τ < 0.5 still needs argmax = forget
        assertFalse(low.flags(-0.1));
        assertTrue(low.flags(0.01));
    }

    /** Beta(a, b) for integer a, b from gamma sums; margin = logit(score). */
    static Supplier<Double> betaMargins(Random r, int a, int b) {
        return () -> {
            double ga = 0;
            double gb = 0;
            for (int i = 0; i < a; i++) {
                ga -= Math.log(1 - r.nextDouble());
            }
            for (int i = 0; i < b; i++) {
                gb -= Math.log(1 - r.nextDouble());
            }
            double s = ga / (ga + gb);
            return Math.log(s) - Math.log1p(-s);
        };
    }

    /** Mean coverage (flag rate on fresh forget prompts) over {@code draws} calibrations. */
    static double[] coverage(Supplier<Double> dist, int n, double alpha, int draws, int fresh) {
        double sum = 0;
        double sumSq = 0;
        for (int d = 0; d < draws; d++) {
            double[] cal = new double[n];
            for (int i = 0; i < n; i++) {
                cal[i] = dist.get();
            }
            Threshold t = ConformalThreshold.calibrate(cal, alpha, false);
            int hit = 0;
            for (int i = 0; i < fresh; i++) {
                hit += t.flags(dist.get()) ? 1 : 0;
            }
            double c = hit / (double) fresh;
            sum += c;
            sumSq += c * c;
        }
        double mean = sum / draws;
        double se = Math.sqrt((sumSq / draws - mean * mean) / draws);
        return new double[] {mean, se};
    }

    @Test
    void falseNegativeRateMeetsItsBoundOverManyDraws() {
        Random r = new Random(42);
        double alpha = 0.1;
        // n = 1000: coverage in [1 − α, 1 − α + 1/(n+1)] up to Monte-Carlo error.
        double[] big = coverage(betaMargins(r, 5, 2), 1000, alpha, 2000, 200);
        assertTrue(1 - big[0] <= alpha + 4 * big[1], "mean FNR " + (1 - big[0]) + " ± " + big[1]);
        assertTrue(big[0] <= 1 - alpha + 1.0 / 1001 + 4 * big[1], "coverage " + big[0] + " not conservative beyond 1/(n+1)");
        // n = 19: k = 18, expected coverage exactly k/(n+1) = 0.9 for continuous scores.
        double[] small = coverage(betaMargins(r, 2, 3), 19, alpha, 2000, 200);
        assertTrue(1 - small[0] <= alpha + 4 * small[1], "mean FNR " + (1 - small[0]) + " ± " + small[1]);
        assertEquals(0.9, small[0], 4 * small[1] + 1e-3);
        // α = 0.05 on a normal margin distribution.
        double[] normal = coverage(() -> 2 + 3 * r.nextGaussian(), 99, 0.05, 2000, 100);
        assertTrue(1 - normal[0] <= 0.05 + 4 * normal[1], "mean FNR " + (1 - normal[0]));
        assertTrue(normal[0] <= 0.95 + 0.01 + 4 * normal[1]);
    }

    @Test
    void falsePositiveBoundHoldsAndInfeasibilityIsReported() {
        Random r = new Random(3);
        Supplier<Double> pos = () -> 3 + r.nextGaussian();
        Supplier<Double> neg = () -> -3 + r.nextGaussian();
        double flagged = 0;
        int draws = 500;
        for (int d = 0; d < draws; d++) {
            double[] cal = new double[100];
            double[] ben = new double[100];
            for (int i = 0; i < 100; i++) {
                cal[i] = pos.get();
                ben[i] = neg.get();
            }
            Threshold t = ConformalThreshold.withFalsePositiveBound(ConformalThreshold.calibrate(cal, 0.1, false), ben,
                    0.05);
            for (int i = 0; i < 100; i++) {
                flagged += t.flags(neg.get()) ? 1 : 0;
            }
        }
        assertTrue(flagged / (draws * 100.0) <= 0.05, "benign flag rate " + flagged / (draws * 100.0));

        double[] cal = new double[50];
        double[] ben = new double[50];
        for (int i = 0; i < 50; i++) {
            cal[i] = r.nextGaussian();
            ben[i] = r.nextGaussian();
        }
        assertThrows(IllegalStateException.class, () -> ConformalThreshold.withFalsePositiveBound(
                ConformalThreshold.calibrate(cal, 0.05, false), ben, 0.05));
    }
}

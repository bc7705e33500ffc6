package dev.lethe.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ForgetQualityTest {

    @Test
    void identicalSamplesGiveOne() {
        double[] x = {0.3, 0.9, 1.4, 2.0, 0.7};
        KsResult r = ForgetQuality.ksTest(x, x.clone());
        assertEquals(0.0, r.statistic());
        assertEquals(1.0, r.pValue());
        assertTrue(r.exact());
    }

    @Test
    void completeSeparationIsTwoOverBinomial() {
        // P(D = 1) two-sided for n = m: 2 / C(2n, n).
        double[] a5 = {1, 2, 3, 4, 5};
        double[] b5 = {6, 7, 8, 9, 10};
        assertEquals(2.0 / 252, ForgetQuality.pValue(a5, b5), 1e-15);
        double[] a10 = new double[10];
        double[] b10 = new double[10];
        for (int i = 0; i < 10; i++) {
            a10[i] = i;
            b10[i] = 100 + i;
        }
        assertEquals(2.0 / 184_756, ForgetQuality.pValue(b10, a10), 1e-18);
    }

    @Test
    void invariantToMonotoneTransform() {
        double[] r = {0.2, 0.5, 0.9, 1.3, 2.5, 0.05};
        double[] s = {0.8, 1.1, 1.9, 0.4, 3.0, 1.7, 0.6};
        double[] ri = new double[r.length];
        double[] si = new double[s.length];
        for (int i = 0; i < r.length; i++) {
            ri[i] = 1 / r[i];
        }
        for (int i = 0; i < s.length; i++) {
            si[i] = 1 / s[i];
        }
        assertEquals(ForgetQuality.pValue(r, s), ForgetQuality.pValue(ri, si), 1e-15);
    }

    @Test
    void tiesAreHandledAsScipy() {
        // scipy.stats.ks_2samp(p, q) -> statistic 0.375, pvalue 0.5076923076923078
        double[] p = {0.1, 0.2, 0.2, 0.3, 0.5, 0.5, 0.7};
        double[] q = {0.2, 0.3, 0.3, 0.4, 0.6, 0.8, 0.9, 0.9};
        KsResult r = ForgetQuality.ksTest(p, q);
        assertEquals(0.375, r.statistic(), 1e-15);
        assertEquals(0.5076923076923078, r.pValue(), 1e-13);
    }

    /** Deterministic samples, reproduced verbatim in the Python that produced the SciPy values below. */
    static double[] seq(int n, int a, int b, int m, double scale, double shift) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = ((i * a + b) % m) / scale + shift;
        }
        return x;
    }

    static double[] tenths(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (double) ((int) (x[i] * 10)) / 10;
        }
        return y;
    }

    /**
     * Values from scipy 1.17.1 {@code stats.ks_2samp(x, y)} (method 'auto', which is exact at these sizes),
     * with x, y built as {@code [((i*a+b) % m)/scale + shift for i in range(n)]}.
     */
    @Test
    void matchesScipyAtTofuSizes() {
        check(seq(40, 37, 11, 101, 100.0, 0.0), seq(40, 53, 7, 103, 100.0, 0.12), 0.175, 0.5786001416508443);
        check(seq(40, 37, 11, 101, 100.0, 0.0), seq(40, 53, 7, 103, 100.0, 0.45), 0.5, 6.5768913245274e-05);
        check(seq(400, 37, 11, 1009, 1000.0, 0.0), seq(400, 53, 7, 997, 1000.0, 0.05), 0.055, 0.5812138636684575);
        check(seq(400, 37, 11, 1009, 1000.0, 0.0), seq(400, 53, 7, 997, 1000.0, 0.2), 0.2075, 5.974773347845895e-08);
        check(seq(40, 37, 11, 101, 100.0, 0.0), seq(67, 29, 3, 89, 90.0, 0.08), 0.14253731343283582, 0.6235570652249457);
        check(tenths(seq(50, 37, 11, 101, 100.0, 0.0)), tenths(seq(60, 53, 7, 103, 100.0, 0.1)), 0.15,
                0.5209874106351042);
    }

    private static void check(double[] x, double[] y, double d, double p) {
        KsResult r = ForgetQuality.ksTest(x, y);
        assertEquals(d, r.statistic(), 1e-12);
        assertEquals(p, r.pValue(), p * 1e-9, "p-value relative error must be ≤ 1e-9");
    }

    @Test
    void rejectsEmptyAndNonFinite() {
        assertThrows(IllegalArgumentException.class, () -> ForgetQuality.pValue(new double[0], new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> ForgetQuality.pValue(new double[] {Double.NaN}, new double[] {1}));
    }
}

package dev.lethe.eval.metrics;

import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.PValueMethod;

/**
 * Forget quality (spec §2.5): p-value of {@code scipy.stats.ks_2samp(a, b)} (two-sided,
 * {@code method="auto"}) between the per-item truth ratios of the model under test and of the retain
 * model on the same forget split.
 *
 * <p>SciPy's 'auto' uses the exact distribution whenever {@code max(n, m) <= 10000}; Commons
 * Statistics' own AUTO switches on {@code n·m} instead, which at TOFU's 300×300 would fall back to the
 * asymptotic formula (8.50e-22 instead of 1.83e-21 on the golden fixture), so the method is set here.
 * With no random source configured, Commons computes the exact p-value treating ties as SciPy does
 * (ignoring them), which was checked against SciPy on tied samples. Commons Math 3 is not used: it is
 * only exact for small n·m.
 */
public final class ForgetQuality {

    /** SciPy's {@code MAX_AUTO_N}. */
    public static final int SCIPY_MAX_AUTO_N = 10_000;

    private ForgetQuality() { }

    /** Full KS result; KS is rank-based, so R or 1/R give the same answer. */
    public static KsResult ksTest(double[] modelTruthRatios, double[] retainTruthRatios) {
        if (modelTruthRatios.length == 0 || retainTruthRatios.length == 0) {
            throw new IllegalArgumentException("KS test needs two non-empty samples, got sizes "
                    + modelTruthRatios.length + " and " + retainTruthRatios.length);
        }
        checkFinite(modelTruthRatios, "model");
        checkFinite(retainTruthRatios, "retain");
        boolean exact = Math.max(modelTruthRatios.length, retainTruthRatios.length) <= SCIPY_MAX_AUTO_N;
        KolmogorovSmirnovTest test = KolmogorovSmirnovTest.withDefaults()
                .with(AlternativeHypothesis.TWO_SIDED)
                .with(exact ? PValueMethod.EXACT : PValueMethod.ASYMPTOTIC);
        KolmogorovSmirnovTest.TwoResult r = test.test(modelTruthRatios, retainTruthRatios);
        return new KsResult(r.getStatistic(), r.getPValue(), exact);
    }

    /** The forget-quality number itself. */
    public static double pValue(double[] modelTruthRatios, double[] retainTruthRatios) {
        return ksTest(modelTruthRatios, retainTruthRatios).pValue();
    }

    private static void checkFinite(double[] xs, String which) {
        for (int i = 0; i < xs.length; i++) {
            if (!Double.isFinite(xs[i])) {
                throw new IllegalArgumentException(which + " truth ratio at position " + i + " is " + xs[i]);
            }
        }
    }
}

package dev.lethe.eval.metrics;

/**
 * Per-position mean and variance of {@code log p} under the model's own distribution, the
 * normalisers of Min-K%++: {@code μ = Σ_v p_v log p_v}, {@code σ² = Σ_v p_v (log p_v)² − μ²}.
 *
 * <p>A scorer can reduce each vocabulary row to these two numbers on the fly instead of keeping
 * n × V log-probs alive. Terms with {@code p_v = 0} contribute 0 (torch would give NaN for a −∞
 * log-prob; log-softmax of finite logits never produces one).
 */
public record VocabMoments(double[] mean, double[] variance) {

    public VocabMoments {
        if (mean.length != variance.length) {
            throw new IllegalArgumentException("mean and variance lengths differ: " + mean.length + " vs " + variance.length);
        }
    }

    /** From full-vocabulary log-prob rows, one row per position. */
    public static VocabMoments of(float[][] vocabLogProbs) {
        double[] mu = new double[vocabLogProbs.length];
        double[] var = new double[vocabLogProbs.length];
        for (int t = 0; t < vocabLogProbs.length; t++) {
            double m = 0;
            double m2 = 0;
            for (float lp : vocabLogProbs[t]) {
                double p = Math.exp(lp);
                if (p > 0) {
                    m += p * lp;
                    m2 += p * lp * lp;
                }
            }
            mu[t] = m;
            var[t] = m2 - m * m;
        }
        return new VocabMoments(mu, var);
    }

    public int length() {
        return mean.length;
    }
}

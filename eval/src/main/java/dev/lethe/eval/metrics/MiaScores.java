package dev.lethe.eval.metrics;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Per-sample membership-inference scores of open-unlearning (spec §2.7). All are loss-like: higher
 * means "less likely a member", so {@link RocAuc#forgetVsHoldout} gives 1 for a forget set that still
 * looks memorised.
 *
 * <p>Position conventions follow OU: LOSS, ZLib and Reference use the avg-loss over all label positions
 * (EOS included); Min-K%, Min-K%++ and GradNorm use {@code tokenwise_logprobs}, which drops the last
 * label position (EOS) — callers pass arrays already without it.
 */
public final class MiaScores {

    /** OU's default k for TOFU and MUSE privleak configs (the code default is 0.2). */
    public static final double DEFAULT_K = 0.4;
    /** Variance floor of Min-K%++ ({@code torch.clamp(sigma, min=1e-6)}). */
    public static final double MIN_VARIANCE = 1e-6;

    private MiaScores() { }

    /** LOSS attack: the target's avg-loss. */
    public static double loss(double avgLoss) {
        return avgLoss;
    }

    /** ZLib attack: avg-loss over the zlib-compressed byte length of the decoded target text. */
    public static double zlib(double avgLoss, String decodedTarget) {
        return avgLoss / zlibLength(decodedTarget);
    }

    /**
     * {@code len(zlib.compress(text.encode("utf-8")))}: zlib format (2-byte header, Adler-32 trailer),
     * default level 6, as Python's {@code zlib.compress}.
     */
    public static int zlibLength(String text) {
        byte[] input = text.getBytes(StandardCharsets.UTF_8);
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, false);
        try {
            deflater.setInput(input);
            deflater.finish();
            byte[] buf = new byte[input.length + 64];
            int total = 0;
            while (!deflater.finished()) {
                total += deflater.deflate(buf);
            }
            return total;
        } finally {
            deflater.end();
        }
    }

    /** Min-K% Prob: {@code −mean} of the lowest {@code max(1, ⌊k·n⌋)} token log-probs; 0 for n = 0. */
    public static double minK(float[] tokenLogProbs, double k) {
        double[] lp = new double[tokenLogProbs.length];
        for (int i = 0; i < lp.length; i++) {
            lp[i] = tokenLogProbs[i];
        }
        return negMeanOfLowest(lp, k);
    }

    /** Min-K%++ from per-position moments; z_t = (log p(y_t) − μ_t)/sqrt(max(σ²_t, 1e-6)). */
    public static double minKPlusPlus(float[] tokenLogProbs, VocabMoments moments, double k) {
        if (tokenLogProbs.length != moments.length()) {
            throw new IllegalArgumentException("token log-probs (" + tokenLogProbs.length
                    + ") and vocab moments (" + moments.length() + ") differ in length");
        }
        double[] z = new double[tokenLogProbs.length];
        for (int t = 0; t < z.length; t++) {
            double sigma = Math.sqrt(Math.max(moments.variance()[t], MIN_VARIANCE));
            z[t] = (tokenLogProbs[t] - moments.mean()[t]) / sigma;
        }
        return negMeanOfLowest(z, k);
    }

    /** Min-K%++ from full-vocabulary log-prob rows (n × V). */
    public static double minKPlusPlus(float[] tokenLogProbs, float[][] vocabLogProbs, double k) {
        return minKPlusPlus(tokenLogProbs, VocabMoments.of(vocabLogProbs), k);
    }

    /** GradNorm: mean over parameter tensors of each tensor's gradient p-norm (one backward per sample). */
    public static double gradNorm(double[] perTensorGradNorms) {
        if (perTensorGradNorms.length == 0) {
            throw new IllegalArgumentException("no parameter received a gradient");
        }
        return Stats.mean(perTensorGradNorms);
    }

    /** Reference attack: {@code avgLoss_target − avgLoss_reference}. */
    public static double reference(double targetAvgLoss, double referenceAvgLoss) {
        return targetAvgLoss - referenceAvgLoss;
    }

    private static double negMeanOfLowest(double[] values, double k) {
        if (values.length == 0) {
            return 0.0;
        }
        if (!(k > 0 && k <= 1)) {
            throw new IllegalArgumentException("k must be in (0, 1], got " + k);
        }
        // Python's int() truncates the float product, e.g. int(5 * 0.4) == 2.
        int numK = Math.max(1, (int) (values.length * k));
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double s = 0;
        for (int i = 0; i < numK; i++) {
            s += sorted[i];
        }
        return -s / numK;
    }
}

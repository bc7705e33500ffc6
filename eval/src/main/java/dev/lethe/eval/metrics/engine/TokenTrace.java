package dev.lethe.eval.metrics.engine;

import dev.lethe.eval.metrics.VocabMoments;
import java.util.Arrays;

/**
 * Per-position teacher-forced detail of one target, over <em>all</em> its label positions L in order
 * (the last being EOS under Lethe's templating). Metrics that follow OU's {@code tokenwise_logprobs}
 * (EM, ES, Min-K%, Min-K%++) call {@link #withoutLast()} themselves, so the scorer never has to know
 * which metric drops what.
 *
 * @param logProbs    {@code log p(y_t | y_<t)} per label position
 * @param labels      label ids y_t, or null when no metric needs them
 * @param predictions argmax of the distribution at each position, or null
 * @param moments     Min-K%++ normalisers per position, or null
 */
public record TokenTrace(float[] logProbs, int[] labels, int[] predictions, VocabMoments moments) {

    public TokenTrace {
        int n = logProbs.length;
        if (labels != null && labels.length != n) {
            throw new IllegalArgumentException("labels length " + labels.length + " != logProbs length " + n);
        }
        if (predictions != null && predictions.length != n) {
            throw new IllegalArgumentException("predictions length " + predictions.length + " != logProbs length " + n);
        }
        if (moments != null && moments.length() != n) {
            throw new IllegalArgumentException("moments length " + moments.length() + " != logProbs length " + n);
        }
    }

    public static TokenTrace ofLogProbs(float[] logProbs) {
        return new TokenTrace(logProbs, null, null, null);
    }

    public int length() {
        return logProbs.length;
    }

    /** The same trace minus its last position (OU drops the EOS prediction for these metrics). */
    public TokenTrace withoutLast() {
        int n = Math.max(0, logProbs.length - 1);
        return new TokenTrace(Arrays.copyOf(logProbs, n),
                labels == null ? null : Arrays.copyOf(labels, n),
                predictions == null ? null : Arrays.copyOf(predictions, n),
                moments == null ? null : new VocabMoments(Arrays.copyOf(moments.mean(), n),
                        Arrays.copyOf(moments.variance(), n)));
    }
}

package dev.lethe.eval.metrics;

/**
 * Teacher-forced memorisation metrics of open-unlearning (spec §2.7): exact memorisation (EM) and
 * extraction strength (ES).
 *
 * <p>Inputs are per label position in OU's {@code tokenwise_vocab_logprobs} convention: the label
 * positions of the target <em>without the last one</em> (the final EOS), i.e. {@code n = |L| − 1};
 * {@code predictions[t]} is the argmax of the model's distribution at the position that predicts
 * {@code labels[t]}. Use {@link #argmax(float[][])} to get predictions from full-vocabulary rows.
 */
public final class Memorization {

    private Memorization() { }

    /** Fraction of positions where the greedy prediction equals the label; null when n = 0 (as OU). */
    public static Double exactMemorization(int[] predictions, int[] labels) {
        checkSameLength(predictions, labels);
        if (labels.length == 0) {
            return null;
        }
        int hits = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predictions[i] == labels[i]) {
                hits++;
            }
        }
        return (double) hits / labels.length;
    }

    /**
     * {@code 1 − k/n}, k the smallest index whose suffix {@code predictions[k:]} equals {@code labels[k:]}.
     *
     * <p>OU quirks reproduced: when no suffix matches, the loop variable is left at {@code n − 1}, so
     * ES = 1/n (the same as when only the last token matches); with n = 0 the score is 0, not None.
     */
    public static double extractionStrength(int[] predictions, int[] labels) {
        checkSameLength(predictions, labels);
        int n = labels.length;
        if (n == 0) {
            return 0.0;
        }
        // The matching suffixes form a tail: walk back while tokens agree.
        int firstMatchingSuffix = n;
        while (firstMatchingSuffix > 0 && predictions[firstMatchingSuffix - 1] == labels[firstMatchingSuffix - 1]) {
            firstMatchingSuffix--;
        }
        int k = Math.min(firstMatchingSuffix, n - 1);
        return 1.0 - (double) k / n;
    }

    /** Row-wise argmax (first maximum on ties, like {@code torch.argmax} on CPU). */
    public static int[] argmax(float[][] rows) {
        int[] out = new int[rows.length];
        for (int t = 0; t < rows.length; t++) {
            float[] row = rows[t];
            int best = 0;
            for (int v = 1; v < row.length; v++) {
                if (row[v] > row[best]) {
                    best = v;
                }
            }
            out[t] = best;
        }
        return out;
    }

    private static void checkSameLength(int[] predictions, int[] labels) {
        if (predictions.length != labels.length) {
            throw new IllegalArgumentException("predictions (" + predictions.length + ") and labels ("
                    + labels.length + ") differ in length");
        }
    }
}

package dev.lethe.core.unlearn;

import dev.lethe.core.lm.TokenLogProbs;

import java.util.Arrays;

/**
 * One tokenised training item: the full sequence (prompt + answer + EOS) and its labels, which equal the ids
 * where scored and {@link TokenLogProbs#IGNORE} (−100) on the prompt. Templating and tokenisation are the
 * caller's; this is what open-unlearning's {@code QADataset.__getitem__} returns.
 */
public record LabeledRow(long[] ids, long[] labels) {

    public LabeledRow {
        if (ids == null || labels == null || ids.length == 0) {
            throw new IllegalArgumentException("a row needs at least one token");
        }
        if (ids.length != labels.length) {
            throw new IllegalArgumentException("ids (" + ids.length + ") and labels (" + labels.length
                    + ") differ in length");
        }
        ids = ids.clone();
        labels = labels.clone();
    }

    /** A row whose first {@code promptLength} tokens are masked (−100) and the rest scored. */
    public static LabeledRow of(long[] ids, int promptLength) {
        if (promptLength < 0 || promptLength > ids.length) {
            throw new IllegalArgumentException("prompt length " + promptLength + " outside [0, " + ids.length + "]");
        }
        long[] labels = ids.clone();
        Arrays.fill(labels, 0, promptLength, TokenLogProbs.IGNORE);
        return new LabeledRow(ids, labels);
    }

    public int length() {
        return ids.length;
    }

    /** Leading masked tokens (the prompt, when labels follow the usual prompt-then-answer layout). */
    public int promptLength() {
        int n = 0;
        while (n < labels.length && labels[n] == TokenLogProbs.IGNORE) {
            n++;
        }
        return n;
    }

    @Override
    public long[] ids() {
        return ids.clone();
    }

    @Override
    public long[] labels() {
        return labels.clone();
    }

    long[] idsUnsafe() {
        return ids;
    }

    long[] labelsUnsafe() {
        return labels;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabeledRow r && Arrays.equals(ids, r.ids) && Arrays.equals(labels, r.labels);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "LabeledRow[ids=" + Arrays.toString(ids) + ", labels=" + Arrays.toString(labels) + "]";
    }
}

package dev.lethe.core.text;

import java.util.Arrays;

/**
 * One encoded (prompt, answer) pair. {@code labels} is aligned with {@code ids}: {@link #IGNORE} on the
 * {@code promptLength} prompt tokens (BOS included), the token id elsewhere (answer, closing tag, EOS).
 */
public record QaEncoding(int[] ids, int[] labels, int promptLength) {

    /** Label value of unscored positions (PyTorch's ignore_index). */
    public static final int IGNORE = -100;

    public QaEncoding {
        if (ids.length != labels.length) {
            throw new IllegalArgumentException("ids and labels differ in length: " + ids.length + " vs " + labels.length);
        }
    }

    public int length() {
        return ids.length;
    }

    /** Number of scored label positions; 0 means the prompt covered everything (open-unlearning warns). */
    public int scoredCount() {
        int n = 0;
        for (int l : labels) {
            if (l != IGNORE) {
                n++;
            }
        }
        return n;
    }

    /** Prompt ids only, for generation. */
    public int[] promptIds() {
        return Arrays.copyOf(ids, Math.min(promptLength, ids.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QaEncoding e && promptLength == e.promptLength
                && Arrays.equals(ids, e.ids) && Arrays.equals(labels, e.labels);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(ids) + Arrays.hashCode(labels) + promptLength;
    }

    @Override
    public String toString() {
        return "QaEncoding[ids=" + Arrays.toString(ids) + ", labels=" + Arrays.toString(labels)
                + ", promptLength=" + promptLength + "]";
    }
}

package dev.lethe.core.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A padded batch of token ids: {@code ids [B, T]} int64, {@code attentionMask [B, T]} int64 (1 = token,
 * 0 = padding), and, when known, each row's prompt length in tokens (ECO classifies the prompt; the
 * Scorer does not need it). Arrays belong to the caller's manager.
 */
public record TokenBatch(NDArray ids, NDArray attentionMask, int[] promptLengths) {

    public int batchSize() {
        return (int) ids.getShape().get(0);
    }

    public int length() {
        return (int) ids.getShape().get(1);
    }

    /** Builds a batch from Java arrays (rows already padded to the same length). */
    public static TokenBatch of(NDManager manager, long[][] ids, long[][] mask, int[] promptLengths) {
        int b = ids.length;
        int t = b == 0 ? 0 : ids[0].length;
        long[] flatIds = new long[b * t];
        long[] flatMask = new long[b * t];
        for (int i = 0; i < b; i++) {
            if (ids[i].length != t || mask[i].length != t) {
                throw new IllegalArgumentException("row " + i + " has length " + ids[i].length + ", expected " + t);
            }
            System.arraycopy(ids[i], 0, flatIds, i * t, t);
            System.arraycopy(mask[i], 0, flatMask, i * t, t);
        }
        return new TokenBatch(manager.create(flatIds, new Shape(b, t)), manager.create(flatMask, new Shape(b, t)),
                promptLengths);
    }

    /**
     * Prompt lengths implied by HF-style labels: the leading positions whose label is
     * {@link TokenLogProbs#IGNORE} (a row with nothing scored counts whole).
     */
    public static int[] promptLengthsFromLabels(long[][] labels) {
        int[] out = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            int p = 0;
            while (p < labels[i].length && labels[i][p] == TokenLogProbs.IGNORE) {
                p++;
            }
            out[i] = p;
        }
        return out;
    }

    /** One unpadded row. */
    public static TokenBatch single(NDManager manager, long[] ids) {
        long[] mask = new long[ids.length];
        java.util.Arrays.fill(mask, 1);
        return new TokenBatch(manager.create(ids, new Shape(1, ids.length)),
                manager.create(mask, new Shape(1, ids.length)), null);
    }

    public TokenBatch withInt64() {
        return new TokenBatch(ids.toType(DataType.INT64, false), attentionMask.toType(DataType.INT64, false),
                promptLengths);
    }
}

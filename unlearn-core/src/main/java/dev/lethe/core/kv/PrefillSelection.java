package dev.lethe.core.kv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lethe.core.model.KvCache;
import dev.lethe.core.model.MaskPolicy;

/**
 * SnapKV-style compression of a freshly prefilled cache (spec §2.4), shared by {@link SnapKvPolicy} and
 * {@link UncompPolicy}, which differ only in each head's budget. Per layer, row and query head:
 * <ol>
 *   <li>the last {@code window} prompt queries attend (softmax, causal inside the window) to the row's
 *       prompt keys;
 *   <li>{@link SnapKvSelector} sums their attention per prefix key, max-pools it and keeps the best
 *       {@code budget − window} prefix keys plus the window;
 *   <li>{@link KvCache#retain} keeps exactly those keys for that head.
 * </ol>
 * Grouped kv heads are repeated per query head first, as in the reference, so every query head selects
 * its own keys. Left-padded rows select among their real tokens only (pads are never kept). A layer
 * where no (row, head) would drop a real token is left untouched: compressing it would change nothing but
 * the float summation order, and the reference likewise skips prompts shorter than the capacity.
 */
final class PrefillSelection {

    private PrefillSelection() {}

    /** A head's budget (window included) for a row with {@code promptLength} real tokens. */
    @FunctionalInterface
    interface HeadBudget {
        int budget(int layer, int head, int promptLength);
    }

    static void compress(KvCache cache, NDManager m, int window, int kernel, HeadBudget budgets) {
        Shape ks = cache.keys(0).getShape();
        int b = (int) ks.get(0);
        long kv = ks.get(1);
        int n = (int) ks.get(2);
        int[] first = firstRealColumn(cache.padding(), b, n);
        try (NDManager s = m.newSubManager()) {
            // every layer observes the same window over the same prompt, so one mask serves them all
            int w = (int) observed(cache, 0, window).getShape().get(2);
            NDArray mask = windowMask(s, w, n, cache.padding());
            for (int l = 0; l < cache.layers(); l++) {
                NDArray q = observed(cache, l, window);
                int heads = (int) q.getShape().get(1);
                int[][] budget = new int[b][heads];
                boolean drops = false;
                for (int r = 0; r < b; r++) {
                    for (int h = 0; h < heads; h++) {
                        budget[r][h] = budgets.budget(l, h, n - first[r]);
                        drops |= budget[r][h] < n - first[r];
                    }
                }
                if (!drops) {
                    continue;
                }
                float[] att = windowAttention(s, q, cache.keys(l), mask, kv);
                int[][][] keep = new int[b][heads][];
                for (int r = 0; r < b; r++) {
                    int len = n - first[r];
                    for (int h = 0; h < heads; h++) {
                        if (budget[r][h] >= len) {
                            keep[r][h] = range(first[r], n);
                            continue;
                        }
                        // budget < len and budget ≥ window, so the row has a full window of real queries
                        double[][] rows = new double[w][len];
                        for (int i = 0; i < w; i++) {
                            int off = ((r * heads + h) * w + i) * n + first[r];
                            for (int j = 0; j < len; j++) {
                                rows[i][j] = att[off + j];
                            }
                        }
                        int[] sel = SnapKvSelector.select(rows, budget[r][h], kernel);
                        for (int i = 0; i < sel.length; i++) {
                            sel[i] += first[r];
                        }
                        keep[r][h] = sel;
                    }
                }
                cache.retain(l, keep);
            }
        }
    }

    private static NDArray observed(KvCache cache, int layer, int window) {
        NDArray q = cache.queries(layer);
        if (q == null) {
            throw new IllegalStateException("layer " + layer + " has no observed queries: the session must observe "
                    + "the last " + window + " prompt positions");
        }
        return q;
    }

    /**
     * The additive mask {@code [B|1, 1, w, N]} of the last {@code w} prompt queries over the prompt keys:
     * causal inside the window, pads blocked; null when nothing is blocked (one query, no padding).
     */
    private static NDArray windowMask(NDManager s, int w, int n, NDArray padding) {
        if (padding == null) {
            return MaskPolicy.CAUSAL.additiveMask(s, w, n - w, null);
        }
        padding.tempAttach(s); // the arrays derived from it land in s; it returns to the cache when s closes
        return MaskPolicy.CAUSAL.additiveMask(s, w, n - w, padding);
    }

    /**
     * Softmax attention {@code [B, H, w, N]} (flattened) of the observed window queries over the layer's
     * prompt keys, with the additive {@code mask} (may be null).
     */
    private static float[] windowAttention(NDManager m, NDArray q, NDArray keys, NDArray mask, long kv) {
        Shape qs = q.getShape();
        long b = qs.get(0);
        long heads = qs.get(1);
        long w = qs.get(2);
        long hd = qs.get(3);
        long n = keys.getShape().get(2);
        try (NDManager s = m.newSubManager()) {
            q.tempAttach(s); // derived arrays land in s; both return to the cache when s closes
            keys.tempAttach(s);
            // grouped queries share a key head: fold the group into the query axis (queries are pre-scaled)
            NDArray logits = q.reshape(b, kv, heads / kv * w, hd).matMul(keys.transpose(0, 1, 3, 2))
                    .reshape(b, heads, w, n);
            return (mask == null ? logits : logits.add(mask)).softmax(-1).toFloatArray();
        }
    }

    /** Per row, the first column holding a real token (left padding before it); 0 without padding. */
    private static int[] firstRealColumn(NDArray padding, int b, int n) {
        int[] out = new int[b];
        if (padding == null) {
            return out;
        }
        long[] p = padding.toLongArray();
        for (int r = 0; r < b; r++) {
            int j = 0;
            while (j < n && p[r * n + j] == 0) {
                j++;
            }
            if (j == n) {
                throw new IllegalArgumentException("prompt row " + r + " has no real token");
            }
            for (int k = j; k < n; k++) {
                if (p[r * n + k] == 0) {
                    throw new IllegalArgumentException("prompt row " + r + " is not left-padded: selection counts "
                            + "a row's real tokens as one contiguous run ending at the last column");
                }
            }
            out[r] = j;
        }
        return out;
    }

    private static int[] range(int from, int to) {
        int[] out = new int[to - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }
}

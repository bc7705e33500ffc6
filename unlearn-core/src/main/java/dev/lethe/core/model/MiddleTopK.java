package dev.lethe.core.model;

import ai.djl.ndarray.NDArray;

/**
 * LM-Infinite's optional top-k middle tokens for one pass (reference: {@code models/llama.py},
 * {@code top_k_attention}). Only the pass's last query row — the token being generated — takes part, and only
 * in layers {@code fromLayer ≤ l < toLayer}: every middle key {@code j ∈ [nGlobal, i − nLocal]} is scored as
 * ⟨R(t)·q_i, k_raw⟩ at the fixed distance {@code t = insertAt}, and the {@code k} best per query head are read
 * at that distance; the rest stay masked. The scoring needs every middle key, so the cache must keep them all.
 *
 * @param k keys added per head (at most; fewer when fewer candidates exist)
 * @param fromLayer first layer that adds them
 * @param toLayer first layer that no longer does (exclusive, as the reference's {@code top_k_to_layer})
 * @param insertAt the fixed distance t
 * @param candidates additive {@code [B|1, 1, 1, S]}: 0 on the last row's middle keys, {@link MaskPolicy#BLOCKED}
 *     elsewhere
 * @param keyPositions RoPE positions the stored keys were rotated with, {@code [B, S]}, or null when slot s
 *     holds position s
 */
public record MiddleTopK(int k, int fromLayer, int toLayer, long insertAt, NDArray candidates,
                         NDArray keyPositions) {

    /** Whether layer {@code layer} adds the top-k middle keys. */
    public boolean appliesTo(int layer) {
        return layer >= fromLayer && layer < toLayer;
    }

    /**
     * Which keys each row keeps: for every row of {@code scores} ({@code rows × width}, candidates finite and
     * everything else at or below {@link MaskPolicy#BLOCKED}/2), the {@code k} highest candidates. Ties go to
     * the earlier slot, so the choice is deterministic (torch.topk leaves it unspecified); exactly
     * {@code min(k, candidates)} keys are kept per row.
     */
    public static boolean[] select(float[] scores, int rows, int width, int k) {
        boolean[] keep = new boolean[rows * width];
        for (int r = 0; r < rows; r++) {
            int base = r * width;
            int count = 0;
            for (int s = 0; s < width; s++) {
                if (candidate(scores[base + s])) {
                    count++;
                }
            }
            // k passes, each taking the best candidate not yet kept (k is small, so this beats a sort);
            // a strictly greater Float.compare lets the earlier slot win a tie and orders −0 below +0
            for (int n = 0; n < Math.min(k, count); n++) {
                int best = -1;
                for (int s = 0; s < width; s++) {
                    float v = scores[base + s];
                    if (!keep[base + s] && candidate(v) && (best < 0 || Float.compare(v, scores[base + best]) > 0)) {
                        best = s;
                    }
                }
                keep[base + best] = true;
            }
        }
        return keep;
    }

    private static boolean candidate(float score) {
        return score > MaskPolicy.BLOCKED / 2;
    }
}

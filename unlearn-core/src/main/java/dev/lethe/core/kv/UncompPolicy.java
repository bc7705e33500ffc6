package dev.lethe.core.kv;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.model.KvCache;
import dev.lethe.core.model.KvCachePolicy;

import java.util.Arrays;

/**
 * UNComp's KV compression (spec §2.3–2.4): SnapKV selection at prefill with per-head-group budgets. The
 * high-entropy heads of each layer (an offline calibration, {@link UncompCalibration}) keep B_hi, the
 * others B_lo, from {@link GroupBudget#reference} (⌊3C/2⌋, ⌊B_hi/2⌋; (N, N/2) when N ≤ B_hi) or, as a
 * labelled deviation with mean exactly C, {@link GroupBudget#equalMemory}. No budget drops below the
 * observation window, which is always kept. Nothing is evicted while decoding ("simplest faithful start").
 *
 * @param highHeads per layer, the high-entropy query heads (ascending)
 * @param capacity nominal C per head
 * @param equalMemory (4C/3, 2C/3) instead of the reference (3C/2, 3C/4)
 * @param window observation window w (reference: 8)
 * @param kernel max-pool width (reference runner: 7)
 */
public record UncompPolicy(int[][] highHeads, KvCapacity capacity, boolean equalMemory, int window, int kernel)
        implements KvCachePolicy {

    public UncompPolicy {
        if (window < 1 || kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("UNComp needs window ≥ 1 and an odd kernel, got " + window + ", " + kernel);
        }
        // sorted copies: isHigh binary-searches them, and a hand-written list need not be in order
        highHeads = Arrays.stream(highHeads).map(h -> { int[] c = h.clone(); Arrays.sort(c); return c; })
                .toArray(int[][]::new);
    }

    @Override
    public int[][] highHeads() {
        return Arrays.stream(highHeads).map(int[]::clone).toArray(int[][]::new);
    }

    /** The reference setting: budgets (3C/2, 3C/4), w = 8, max-pool kernel 7. */
    public static UncompPolicy of(int[][] highHeads, KvCapacity capacity) {
        return new UncompPolicy(highHeads, capacity, false, 8, 7);
    }

    /** The two group budgets for an N-token prompt, before the window floor. */
    public GroupBudget groupBudget(int promptLength) {
        int c = capacity.of(promptLength);
        return equalMemory ? GroupBudget.equalMemory(c, promptLength) : GroupBudget.reference(c, promptLength);
    }

    public boolean isHigh(int layer, int head) {
        if (layer >= highHeads.length) {
            throw new IllegalArgumentException("head groups cover " + highHeads.length + " layers, not layer " + layer);
        }
        return Arrays.binarySearch(highHeads[layer], head) >= 0;
    }

    /** Tokens head {@code head} of {@code layer} keeps from an N-token prompt (window included). */
    public int budget(int layer, int head, int promptLength) {
        GroupBudget g = groupBudget(promptLength);
        return Math.max(window, isHigh(layer, head) ? g.high() : g.low());
    }

    @Override
    public int observationWindow() {
        return window;
    }

    @Override
    public void afterPrefill(KvCache cache, NDManager scratch) {
        if (cache.layers() != highHeads.length) {
            throw new IllegalArgumentException("head groups were calibrated for " + highHeads.length
                    + " layers, the model has " + cache.layers());
        }
        long heads = cache.queries(0).getShape().get(1);
        for (int[] layer : highHeads) {
            if (layer.length > 0 && layer[layer.length - 1] >= heads) {
                throw new IllegalArgumentException("head groups name head " + layer[layer.length - 1]
                        + " but the model has " + heads + " query heads");
            }
        }
        PrefillSelection.compress(cache, scratch, window, kernel, this::budget);
    }

    @Override
    public String toString() {
        return "uncomp(C = " + capacity + (equalMemory ? ", equal-memory budgets" : "") + ", w = " + window
                + ", kernel = " + kernel + ")";
    }
}

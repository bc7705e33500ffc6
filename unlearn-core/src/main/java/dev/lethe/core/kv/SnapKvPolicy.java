package dev.lethe.core.kv;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.model.KvCache;
import dev.lethe.core.model.KvCachePolicy;

/**
 * SnapKV (spec §2.4): every head keeps the same budget C — its best {@code C − window} prompt keys by
 * the window's pooled attention, plus the window — chosen once at prefill; nothing is evicted while
 * decoding. The budget never drops below the window (the window is always kept).
 *
 * @param capacity C per head
 * @param window observation window w (reference: 8)
 * @param kernel max-pool width (reference runner: 7)
 */
public record SnapKvPolicy(KvCapacity capacity, int window, int kernel) implements KvCachePolicy {

    public SnapKvPolicy {
        if (window < 1 || kernel < 1 || kernel % 2 == 0) {
            throw new IllegalArgumentException("SnapKV needs window ≥ 1 and an odd kernel, got " + window + ", " + kernel);
        }
    }

    /** The reference setting: w = 8, max-pool kernel 7. */
    public static SnapKvPolicy of(KvCapacity capacity) {
        return new SnapKvPolicy(capacity, 8, 7);
    }

    /** The budget of every head for an N-token prompt: max(C, w). */
    public int budget(int promptLength) {
        return Math.max(window, capacity.of(promptLength));
    }

    @Override
    public int observationWindow() {
        return window;
    }

    @Override
    public void afterPrefill(KvCache cache, NDManager scratch) {
        PrefillSelection.compress(cache, scratch, window, kernel, (layer, head, n) -> budget(n));
    }

    @Override
    public String toString() {
        return "snapkv(C = " + capacity + ", w = " + window + ", kernel = " + kernel + ")";
    }
}

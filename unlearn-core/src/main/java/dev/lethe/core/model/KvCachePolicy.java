package dev.lethe.core.model;

import ai.djl.ndarray.NDManager;

/**
 * What a decoding session keeps in its {@link KvCache} (spec long-context §2.8): every key ({@link #FULL},
 * the fast path), a StreamingLLM sink + window ({@link #sinkWindow}, read by LM-Infinite's Λ mask), or a
 * per-head selection made once at prefill (SnapKV and UNComp in {@code dev.lethe.core.kv}).
 *
 * <p>A prefill-selecting policy asks the cache to keep the last {@link #observationWindow} query states of
 * the prompt, then {@link #afterPrefill} rewrites every layer through {@link KvCache#retain}. The prefill
 * itself (and so the first generated token) still attends to the whole prompt, as in the reference; only
 * the decoding steps read the compressed cache. Nothing is evicted while decoding.
 */
public interface KvCachePolicy {

    /** Query states of the last {@code n} prompt positions the policy reads in {@link #afterPrefill} (0: none). */
    default int observationWindow() {
        return 0;
    }

    /** Eviction the cache applies after every pass, or null to keep every key. */
    default SinkWindow eviction() {
        return null;
    }

    /**
     * Rewrites the cache once, right after the prompt's forward pass (default: keep everything).
     *
     * @param scratch for intermediate arrays; closed when this returns
     */
    default void afterPrefill(KvCache cache, NDManager scratch) {}

    /** Every key of every head: the plain cache, with no extra work per step. */
    KvCachePolicy FULL = new KvCachePolicy() {
        @Override
        public String toString() {
            return "full";
        }
    };

    /**
     * The sink + window cache of {@code window}; only a mask policy that reads evicted caches accepts it
     * (LM-Infinite's Λ mask with the same geometry), so the session checks it against
     * {@link MaskPolicy#cacheEviction}.
     */
    static KvCachePolicy sinkWindow(SinkWindow window) {
        return new KvCachePolicy() {
            @Override
            public SinkWindow eviction() {
                return window;
            }

            @Override
            public String toString() {
                return "sink-window(" + window.sink() + ", " + window.window() + ")";
            }
        };
    }

    /** The policy a decoder uses unless told otherwise: its mask policy's eviction if any, else {@link #FULL}. */
    static KvCachePolicy of(MaskPolicy mask) {
        SinkWindow w = mask.cacheEviction();
        return w == null ? FULL : sinkWindow(w);
    }
}

package dev.lethe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Which keys each query may attend to. Attention adds the returned mask to its scores.
 *
 * <p>Queries are the {@code queryLen} newest positions of a sequence whose first {@code pastLen} positions
 * are already in the KV cache; keys are all {@code pastLen + queryLen} positions. LM-Infinite's Λ-shaped
 * mask is another implementation of this interface.
 */
public interface MaskPolicy {

    /** Added to blocked scores: large enough to give exactly zero weight after softmax, yet finite, so a
     * fully padded row (left padding) yields a uniform distribution instead of NaN. */
    float BLOCKED = -1e9f;

    /**
     * The additive mask, shape {@code [B or 1, 1, queryLen, pastLen + queryLen]}, 0 where allowed and
     * {@link #BLOCKED} elsewhere; or null when nothing is blocked.
     *
     * @param keyPadding {@code [B, pastLen + queryLen]} with 1 for real tokens and 0 for padding, or null
     */
    NDArray additiveMask(NDManager manager, int queryLen, int pastLen, NDArray keyPadding);

    /**
     * Everything attention needs to know about visibility for one pass: the additive mask over the stored
     * keys, and optionally keys read at a fixed relative distance ({@link StationaryKeys}).
     *
     * <p>The default covers every policy whose logits use true RoPE distances: it wraps
     * {@link #additiveMask} and adds nothing, so causal attention keeps its one-mask fast path.
     *
     * @param pastLen keys already stored in the cache (after any eviction)
     * @param evicted positions the cache dropped (all of them directly after the policy's sink); the
     *     queries sit at positions {@code pastLen + evicted ..}
     */
    default AttentionPattern pattern(NDManager manager, int queryLen, int pastLen, int evicted, NDArray keyPadding) {
        if (evicted != 0) {
            throw new IllegalStateException("this mask policy cannot read a cache that evicted keys");
        }
        return new AttentionPattern(additiveMask(manager, queryLen, pastLen, keyPadding), null);
    }

    /**
     * How many RoPE positions the model must be able to rotate, given the trained limit. A policy that
     * keeps every relative distance within the trained range (LM-Infinite) may run far past it.
     */
    default int positionLimit(int trainedPositions) {
        return trainedPositions;
    }

    /** The eviction a decoding cache may apply under this policy, or null to keep every key (default). */
    default SinkWindow cacheEviction() {
        return null;
    }

    /** The standard causal mask: key j is visible to query i when j ≤ i and j is not padding. */
    MaskPolicy CAUSAL = new CausalMask();
}

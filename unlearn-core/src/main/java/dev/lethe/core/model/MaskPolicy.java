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

    /** The standard causal mask: key j is visible to query i when j ≤ i and j is not padding. */
    MaskPolicy CAUSAL = new CausalMask();
}

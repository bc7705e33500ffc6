package dev.lethe.core.model;

import ai.djl.ndarray.NDArray;

/**
 * A mask policy's answer for one forward pass.
 *
 * @param mask additive mask {@code [B|1, 1, T, S]} over the stored keys (true RoPE distances), or null
 * @param stationary keys additionally read at a fixed distance, or null (the usual case)
 * @param middle top-k middle keys of the last query row, or null (the usual case)
 * @param positions RoPE positions {@code [B, T]} the policy counted the new tokens at, for the decoder to
 *     rotate with when the caller gave none; null when they are the contiguous slots
 */
public record AttentionPattern(NDArray mask, StationaryKeys stationary, MiddleTopK middle, NDArray positions) {

    /** Just a mask (and possibly stationary keys), positions contiguous. */
    public AttentionPattern(NDArray mask, StationaryKeys stationary) {
        this(mask, stationary, null, null);
    }
}

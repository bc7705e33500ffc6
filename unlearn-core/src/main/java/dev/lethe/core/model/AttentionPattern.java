package dev.lethe.core.model;

import ai.djl.ndarray.NDArray;

/**
 * A mask policy's answer for one forward pass.
 *
 * @param mask additive mask {@code [B|1, 1, T, S]} over the stored keys (true RoPE distances), or null
 * @param stationary keys additionally read at a fixed distance, or null (the usual case)
 */
public record AttentionPattern(NDArray mask, StationaryKeys stationary) {}

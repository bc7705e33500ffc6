package dev.lethe.core.model;

import ai.djl.ndarray.NDArray;

/**
 * The first {@code count} stored keys, read a second time with the relative distance replaced by a fixed
 * one: LM-Infinite's "global-far" case, where a query far from the starting tokens sees them at distance
 * {@code d' = min(d, i)} instead of the (untrained) true distance.
 *
 * <p>Attention scores these keys as ⟨R(d'_t)·q_t, k_raw⟩ — the raw key is recovered by undoing its
 * rotation — and softmaxes them jointly with the ordinary keys. Each (query, key) pair must be visible in
 * at most one of the two masks, so the union is exactly the policy's visible set.
 *
 * @param count how many leading key slots this block reads
 * @param queryDistances {@code [B|1, T]} int64: per query row, the rotation distance {@code d'}
 * @param mask additive {@code [B|1, 1, T, count]}: 0 where the pair is read at the fixed distance
 * @param keyPositions {@code [B, count]} int64: the RoPE positions these keys were rotated with (left-padded
 *     rows), or null when slot s holds position s
 */
public record StationaryKeys(int count, NDArray queryDistances, NDArray mask, NDArray keyPositions) {}

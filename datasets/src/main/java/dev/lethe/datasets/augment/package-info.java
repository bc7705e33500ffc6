/**
 * Untie-the-Knots (UtK, Tian et al. 2024; long-context spec §3): a training-data augmentation that chunks the
 * documents of a packed sequence, ties consecutive chunks with paired knot tokens, shuffles all chunks, and asks
 * the model to backtrace each document's chunk ids in order ({@code <S> id1 <s> id2 … </S>}). Works on token
 * ids; the special ids come from {@link dev.lethe.datasets.augment.UtkTokens}.
 */
package dev.lethe.datasets.augment;

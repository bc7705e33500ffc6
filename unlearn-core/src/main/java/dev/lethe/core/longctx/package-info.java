/**
 * Long-context attention beyond the trained length without retraining: LM-Infinite's Λ-shaped mask with
 * its distance limit for far starting tokens, the optional top-k middle tokens for the token being generated,
 * left-padded batches (positions count each row's real tokens), and the matching sink + window KV eviction
 * (spec: shared/specs/long-context.md §1).
 */
package dev.lethe.core.longctx;

/**
 * Long-context attention beyond the trained length without retraining: LM-Infinite's Λ-shaped mask with
 * its distance limit for far starting tokens, and the matching sink + window KV eviction
 * (spec: shared/specs/long-context.md §1).
 */
package dev.lethe.core.longctx;

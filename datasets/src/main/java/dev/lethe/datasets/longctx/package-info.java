/**
 * Long-context probes (spec: shared/specs/long-context.md §1.3): LM-Infinite's passkey retrieval task — a key
 * hidden at a random slot among repeated filler sentences — and its scorer.
 */
package dev.lethe.datasets.longctx;

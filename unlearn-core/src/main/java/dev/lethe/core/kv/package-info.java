/**
 * UNComp (Xiong et al., arXiv 2410.03090) building blocks: truncated matrix entropy of token
 * representations, entropy-based head groups and their KV budgets, layer stages, and SnapKV-style token
 * selection (spec: shared/specs/long-context.md §2), and the KV-cache policies built on them ({@link
 * dev.lethe.core.kv.SnapKvPolicy}, {@link dev.lethe.core.kv.UncompPolicy}, served through {@link
 * dev.lethe.core.kv.KvPolicyModel}). The selection maths is double-precision Java: d ≤ 128 and the
 * reference also leaves the accelerator for the eigen-decomposition.
 */
package dev.lethe.core.kv;

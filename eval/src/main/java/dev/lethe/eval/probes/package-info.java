/**
 * Representation probes that fingerprint unlearning without generation, e.g. UNComp's matrix entropy of
 * hidden states and keys (spec: shared/specs/long-context.md §2.8).
 */
package dev.lethe.eval.probes;

/**
 * Attacks that try to bring forgotten knowledge back. {@link dev.lethe.eval.attacks.InContextRelearningAttack}
 * operationalises UnUnlearning (Shumailov et al., arXiv 2407.00106): hint conditions H0–H7 in the
 * context, and lift, recovery, excess recoverability and many-shot k₅₀ with item-bootstrap intervals
 * (spec: shared/specs/long-context.md §4).
 */
package dev.lethe.eval.attacks;

/**
 * Attacks that try to bring forgotten knowledge back. {@link dev.lethe.eval.attacks.InContextRelearningAttack}
 * operationalises UnUnlearning (Shumailov et al., arXiv 2407.00106): hint conditions H0–H7 in the
 * context, and lift, recovery, excess recoverability and many-shot k₅₀ with item-bootstrap intervals
 * (spec: shared/specs/long-context.md §4). {@link dev.lethe.eval.attacks.RelearningItems} reads the items from a
 * TOFU-layout directory, {@link dev.lethe.eval.attacks.RelearningSetup} fixes a run (items, conditions, scoring,
 * decoding) and {@link dev.lethe.eval.attacks.RelearningReport} writes its JSON report and table.
 */
package dev.lethe.eval.attacks;

package dev.lethe.core.unlearn;

import java.util.List;

/**
 * What an unlearning run trains on, already tokenised: the forget rows, the retain rows, and — for methods
 * that prefer another answer to the same question (IdkDPO) — alternative rows per forget row.
 *
 * @param forget rows to unlearn; one epoch is one pass over them
 * @param retain rows to keep; each forget row is paired with a uniformly random one (may be empty for
 *     methods without a retain term)
 * @param alternatives empty, or one non-empty list per forget row (same order): candidate answers to the same
 *     prompt, e.g. the question followed by each "I don't know" string. Like open-unlearning, which draws a
 *     random IDK string every time an item is loaded, the pairing draws one candidate per item and epoch.
 * @param padId token id used to right-pad a batch (the tokenizer's pad, else EOS); padded positions get
 *     attention 0 and label −100
 */
public record UnlearningData(List<LabeledRow> forget, List<LabeledRow> retain, List<List<LabeledRow>> alternatives,
                             long padId) {

    public UnlearningData {
        forget = List.copyOf(forget);
        retain = List.copyOf(retain);
        alternatives = alternatives == null ? List.of() : alternatives.stream().map(List::copyOf).toList();
        if (forget.isEmpty()) {
            throw new IllegalArgumentException("the forget set is empty");
        }
        if (!alternatives.isEmpty()) {
            if (alternatives.size() != forget.size()) {
                throw new IllegalArgumentException("alternatives must be aligned with the forget rows: "
                        + alternatives.size() + " lists for " + forget.size() + " forget rows");
            }
            for (int i = 0; i < alternatives.size(); i++) {
                if (alternatives.get(i).isEmpty()) {
                    throw new IllegalArgumentException("forget row " + i + " has no alternative answer");
                }
            }
        }
    }

    /** Forget and retain rows only. */
    public static UnlearningData of(List<LabeledRow> forget, List<LabeledRow> retain, long padId) {
        return new UnlearningData(forget, retain, List.of(), padId);
    }

    /** With exactly one alternative row per forget row. */
    public static UnlearningData withAlternatives(List<LabeledRow> forget, List<LabeledRow> retain,
                                                  List<LabeledRow> alternatives, long padId) {
        return new UnlearningData(forget, retain, alternatives.stream().map(List::of).toList(), padId);
    }

    public boolean hasAlternatives() {
        return !alternatives.isEmpty();
    }
}

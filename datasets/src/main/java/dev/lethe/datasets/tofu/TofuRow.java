package dev.lethe.datasets.tofu;

/** Any TOFU row: it has a position in its file, a question and the correct answer. */
public sealed interface TofuRow permits QaItem, PerturbedQaItem, MultipleChoiceItem {

    /** 0-based row position in its file (the {@code index} of evaluation logs). */
    int index();

    String question();

    String answer();
}

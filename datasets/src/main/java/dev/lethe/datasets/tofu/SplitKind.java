package dev.lethe.datasets.tofu;

/** The row shape of a split. */
public enum SplitKind {
    /** question, answer. */
    QA,
    /** question, answer, perturbed_answer (list), and for forget/retain also paraphrased_question/answer. */
    PERTURBED,
    /** question, option1..option4, answer. */
    MULTIPLE_CHOICE,
    /** refusal strings, one plain-text line each. */
    IDK
}

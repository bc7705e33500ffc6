package dev.lethe.eval.metrics.tofu;

/** Which answer of an item a probability metric scores (OU's Q_A / Q_A_PARA / Q_A_PERT). */
public enum AnswerKind {
    /** The dataset {@code answer}. */
    ANSWER,
    /** {@code paraphrased_answer}. */
    PARAPHRASED,
    /** Every {@code perturbed_answer}, one value per option. */
    PERTURBED
}

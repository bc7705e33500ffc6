package dev.lethe.eval;

/** One kind of per-item data the evaluator can compute for a split (see {@link MetricNeeds}). */
enum ScorePart {
    /** Teacher-forced score of the dataset answer. */
    ANSWER,
    /** Score of {@code paraphrased_answer}. */
    PARAPHRASED,
    /** Scores of every {@code perturbed_answer}. */
    PERTURBED,
    /** Greedy generation and its ROUGE strings. */
    GENERATION,
    /** Per-token log-probs, labels and teacher-forced argmax of the answer (EM, ES, Min-K%). */
    TRACE,
    /** Min-K%++ vocabulary moments of the answer (the expensive part: a full pass over the vocabulary). */
    MOMENTS,
    /** Decoded answer text (ZLib). */
    DECODED_TARGET,
    /** Per-item gradient norm (GradNorm attack; one backward pass per item). */
    GRAD_NORM,
    /** Reference model's avg-loss of the answer (Reference attack). */
    REFERENCE_LOSS
}

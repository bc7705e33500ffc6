package dev.lethe.datasets.tofu;

import java.util.List;

/**
 * A row of a {@code *_perturbed} split. {@code paraphrasedQuestion} and {@code paraphrasedAnswer} are
 * {@code null} for {@code real_authors_perturbed} / {@code world_facts_perturbed}, which have none.
 */
public record PerturbedQaItem(int index, String question, String answer, String paraphrasedQuestion,
                              String paraphrasedAnswer, List<String> perturbedAnswers) implements TofuRow {

    public PerturbedQaItem {
        perturbedAnswers = List.copyOf(perturbedAnswers);
    }

    /**
     * The "correct" answer of the truth ratio: the paraphrased answer where there is one (forget, retain),
     * else the answer (real authors, world facts) — tofu-eval §2.4.
     */
    public String truthRatioAnswer() {
        return paraphrasedAnswer != null ? paraphrasedAnswer : answer;
    }

    public QaItem asQa() {
        return new QaItem(index, question, answer);
    }
}

package dev.lethe.datasets.synth;

import java.util.List;

/**
 * ULD augmentation texts for one row of the full split: the row's question and answer (the join key) and the
 * extra phrasings and wrong answers the assistant trains on, none of which the TOFU evaluation scores.
 */
record AugmentRow(String question, String answer, List<String> paraphrasedQuestions,
                  List<String> paraphrasedAnswers, List<String> perturbedAnswers) {

    AugmentRow {
        paraphrasedQuestions = List.copyOf(paraphrasedQuestions);
        paraphrasedAnswers = List.copyOf(paraphrasedAnswers);
        perturbedAnswers = List.copyOf(perturbedAnswers);
    }
}

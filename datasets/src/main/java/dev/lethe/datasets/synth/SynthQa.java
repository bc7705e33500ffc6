package dev.lethe.datasets.synth;

import java.util.List;

/** One generated row with every TOFU perturbed-split field. */
record SynthQa(int author, String question, String answer, String paraphrasedQuestion, String paraphrasedAnswer,
               List<String> perturbedAnswers) {

    SynthQa {
        perturbedAnswers = List.copyOf(perturbedAnswers);
    }
}

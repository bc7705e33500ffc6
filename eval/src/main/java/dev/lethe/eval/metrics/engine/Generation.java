package dev.lethe.eval.metrics.engine;

import java.util.Objects;

/**
 * One greedy generation and the strings ROUGE compares, as OU stores them per index.
 *
 * @param input       decoded prompt
 * @param groundTruth decoded reference answer (the ROUGE target)
 * @param generation  decoded, cut and stripped model output (the ROUGE prediction)
 */
public record Generation(String input, String groundTruth, String generation) {
    public Generation {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(groundTruth, "groundTruth");
        Objects.requireNonNull(generation, "generation");
    }
}

package dev.lethe.eval.metrics.engine;

import dev.lethe.eval.metrics.AnswerScore;
import java.util.List;
import java.util.Objects;

/**
 * Everything the model produced for one dataset item of one split; the TOFU evaluator fills it,
 * metrics read it. Optional parts are null when not computed; a metric that needs a missing part
 * fails naming the split, the item and the field.
 *
 * @param index            the item's dataset index (OU's {@code value_by_index} key)
 * @param answer           score of the dataset {@code answer}
 * @param paraphrased      score of {@code paraphrased_answer}, or null
 * @param perturbed        scores of the wrong answers ({@code perturbed_answer}); empty if none
 * @param generation       greedy generation with its ROUGE strings, or null
 * @param trace            per-token detail of {@code answer}, or null
 * @param decodedTarget    decoded label text of {@code answer} (ZLib attack), or null
 * @param gradNorm         mean per-tensor gradient norm of {@code answer}'s loss (GradNorm attack), or null
 * @param referenceAvgLoss reference model's avg-loss of {@code answer} (Reference attack), or null
 */
public record ItemScores(int index, AnswerScore answer, AnswerScore paraphrased, List<AnswerScore> perturbed,
                         Generation generation, TokenTrace trace, String decodedTarget, Double gradNorm,
                         Double referenceAvgLoss) {

    public ItemScores {
        perturbed = perturbed == null ? List.of() : List.copyOf(perturbed);
    }

    /** An item with only its answer scored; add the rest with the {@code with…} methods. */
    public static ItemScores of(int index, AnswerScore answer) {
        return new ItemScores(index, Objects.requireNonNull(answer, "answer"), null, List.of(), null, null, null, null, null);
    }

    public ItemScores withParaphrased(AnswerScore p) {
        return new ItemScores(index, answer, p, perturbed, generation, trace, decodedTarget, gradNorm, referenceAvgLoss);
    }

    public ItemScores withPerturbed(List<AnswerScore> p) {
        return new ItemScores(index, answer, paraphrased, p, generation, trace, decodedTarget, gradNorm, referenceAvgLoss);
    }

    public ItemScores withGeneration(Generation g) {
        return new ItemScores(index, answer, paraphrased, perturbed, g, trace, decodedTarget, gradNorm, referenceAvgLoss);
    }

    public ItemScores withTrace(TokenTrace t) {
        return new ItemScores(index, answer, paraphrased, perturbed, generation, t, decodedTarget, gradNorm, referenceAvgLoss);
    }

    public ItemScores withDecodedTarget(String text) {
        return new ItemScores(index, answer, paraphrased, perturbed, generation, trace, text, gradNorm, referenceAvgLoss);
    }

    public ItemScores withGradNorm(double g) {
        return new ItemScores(index, answer, paraphrased, perturbed, generation, trace, decodedTarget, g, referenceAvgLoss);
    }

    public ItemScores withReferenceAvgLoss(double l) {
        return new ItemScores(index, answer, paraphrased, perturbed, generation, trace, decodedTarget, gradNorm, l);
    }
}

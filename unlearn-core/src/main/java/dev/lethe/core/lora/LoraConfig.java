package dev.lethe.core.lora;

import java.util.List;

/**
 * Which projections get a low-rank adapter and how large it is.
 *
 * @param rank r
 * @param alpha scaling numerator: the update is {@code (alpha / r) · B·A}
 * @param dropout dropout on the adapter's input during training
 * @param targets projection names ({@code q_proj}, {@code k_proj}, …, {@code down_proj})
 * @param layers how many of the first decoder layers to adapt (−1 = all)
 */
public record LoraConfig(int rank, double alpha, double dropout, List<String> targets, int layers) {

    public static final List<String> ALL_LINEAR =
            List.of("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj");

    public LoraConfig {
        if (rank < 1) {
            throw new IllegalArgumentException("LoRA rank must be ≥ 1, got " + rank);
        }
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        }
        for (String t : targets) {
            if (!ALL_LINEAR.contains(t)) {
                throw new IllegalArgumentException("Unknown LoRA target '" + t + "'; expected one of " + ALL_LINEAR);
            }
        }
        targets = List.copyOf(targets);
    }

    public static LoraConfig allLinear(int rank, double alpha, double dropout) {
        return new LoraConfig(rank, alpha, dropout, ALL_LINEAR, -1);
    }

    public double scale() {
        return alpha / rank;
    }
}

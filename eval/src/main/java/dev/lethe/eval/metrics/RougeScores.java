package dev.lethe.eval.metrics;

/** The two ROUGE variants TOFU/OU report for one (ground truth, generation) pair. */
public record RougeScores(RougeScore rouge1, RougeScore rougeL) { }

/**
 * Lethe's evaluation: {@link dev.lethe.eval.TofuEvaluator} runs any
 * {@link dev.lethe.core.lm.LanguageModel} over a TOFU-layout benchmark (teacher-forced scores, greedy
 * generations, optional GradNorm / reference passes) and feeds the metric engine of
 * {@code dev.lethe.eval.metrics}; {@link dev.lethe.eval.EvalOptions} holds its settings,
 * {@link dev.lethe.eval.ReferenceLogs} reads retain-model logs, and {@code dev.lethe.eval.report} turns
 * many runs into tables and plots.
 */
package dev.lethe.eval;

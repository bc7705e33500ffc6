/**
 * ECO — Embedding-COrrupted prompts (Liu et al., NeurIPS 2024; spec: {@code shared/specs/eco.md}).
 *
 * <p>The target's weights never change. A {@link dev.lethe.eco.PromptClassifier} gates each prompt through a
 * {@link dev.lethe.eco.Threshold} (fixed τ as the reference, or calibrated by
 * {@link dev.lethe.eco.ConformalThreshold}); for flagged prompts a {@link dev.lethe.eco.TokenSelector} picks
 * positions whose input embeddings a {@link dev.lethe.eco.Corruption} changes at prefill, and the
 * {@link dev.lethe.eco.ZerothOrderTuner} chooses the corruption strength. {@link dev.lethe.eco.EcoModel} is
 * the resulting {@link dev.lethe.core.lm.LanguageModel}; {@link dev.lethe.eco.Eco#unlearn} builds it and
 * {@link dev.lethe.eco.EcoStore} saves and loads it.
 */
package dev.lethe.eco;

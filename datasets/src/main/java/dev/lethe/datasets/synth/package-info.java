/**
 * The synthetic world: Lethe's embedded default benchmark, a seeded generator of fictitious authors written in
 * the TOFU layout (same file names and fields), so every command behaves the same on it and on real TOFU.
 *
 * <p>Design for tiny models trained from scratch on a CPU: a regular language over a small vocabulary (a few
 * thousand words), facts drawn from finite pools, unique full names and book titles per author (forgetting one
 * author must not remove another's answer strings), no apostrophes (the word-level decoder cannot re-join them).
 * The "real authors" and "world facts" analogues are stated in a separate pretraining corpus, so a base model
 * knows them before finetuning on the fictitious authors. Entry point: {@link
 * dev.lethe.datasets.synth.WorldWriter#write}; {@link dev.lethe.datasets.synth.RelearningMaterial} derives the
 * in-context relearning attack's hints (fact keys, axioms, aliases) from the facts behind a written world.
 */
package dev.lethe.datasets.synth;

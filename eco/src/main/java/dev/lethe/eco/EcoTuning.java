package dev.lethe.eco;

import dev.lethe.core.lm.LanguageModel;

import java.util.function.ToDoubleFunction;

/**
 * What the zeroth-order step needs beyond the config: the task metric of a candidate model on a held-out forget
 * slice (the evaluator plugs in here), the surrogate retained value it should reach, and the tuner settings.
 *
 * @param metric e.g. the mean answer probability on a held-out slice of forget questions
 * @param target the oracle's value of the same metric, or a task-agnostic one (chance level)
 * @param targetSource where {@code target} came from, for provenance ("oracle", "chance", …)
 * @param settings tuner settings; their {@code initial} replaces the configured corruption's parameter
 */
public record EcoTuning(ToDoubleFunction<LanguageModel> metric, double target, String targetSource,
                        ZerothOrderTuner.Settings settings) {}

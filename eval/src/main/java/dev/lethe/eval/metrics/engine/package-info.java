/**
 * Metric engine: {@link dev.lethe.eval.metrics.engine.Metric}s registered by name with declared
 * dependencies, evaluated over a model-free {@link dev.lethe.eval.metrics.engine.MetricContext}
 * (per-split per-sample scores) into an {@link dev.lethe.eval.metrics.engine.EvalLog}, the in-memory
 * form of open-unlearning's {@code TOFU_EVAL.json}.
 */
package dev.lethe.eval.metrics.engine;

/**
 * The TOFU / open-unlearning metric classes and {@link dev.lethe.eval.metrics.tofu.TofuMetrics#registry()},
 * which registers them under OU's names with OU's dependency graph (truth ratio → forget quality,
 * nine components → model utility, Min-K% → privleak).
 */
package dev.lethe.eval.metrics.tofu;

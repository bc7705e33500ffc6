/**
 * Eval logs: legacy TOFU ({@code eval_log_aggregated.json}) reading and TF's aggregation formulas,
 * open-unlearning {@code TOFU_EVAL.json} reading/writing (atomic, deterministic) with
 * {@code SUMMARY.json}, re-aggregation from per-index values, and the {@code lethe aggregate} entry
 * point {@link dev.lethe.eval.logs.Aggregate}.
 */
package dev.lethe.eval.logs;

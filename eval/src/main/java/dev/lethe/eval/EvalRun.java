package dev.lethe.eval;

import dev.lethe.eval.metrics.engine.EvalLog;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one {@link TofuEvaluator} run produced besides the log: where the time went and how much work
 * there was, for reports ({@code wall_s}) and for sizing pipelines.
 *
 * @param log           the evaluation log (as written to {@code TOFU_EVAL.json})
 * @param timings       phase → seconds: {@code scoring}, {@code generation}, {@code gradnorm},
 *                      {@code reference}, {@code metrics}, {@code total}
 * @param scoredTargets distinct (question, answer) pairs scored teacher-forced
 * @param generations   distinct questions generated for ROUGE
 */
public record EvalRun(EvalLog log, Map<String, Double> timings, int scoredTargets, int generations) {

    public EvalRun {
        timings = Collections.unmodifiableMap(new LinkedHashMap<>(timings));
    }

    /** Total wall-clock seconds of the evaluation. */
    public double wallSeconds() {
        return timings.getOrDefault("total", Double.NaN);
    }
}

package dev.lethe.eco;

import dev.lethe.core.lm.LanguageModel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Zeroth-order tuning of the corruption strength (eco.md §7): a scalar two-point finite-difference estimator
 * with projection,
 * <pre>
 *   g = [f(σ + ε) − f(max(σ − ε, min))] / (gap between the two points)
 *   σ ← clamp(σ − η_t · g, min, max),   η_t = η / (1 + decay · t)    (or η_t · sign(g), see Settings)
 * </pre>
 * (the reference floors the lower point at 1e-8: set {@code min} accordingly) where {@code f(σ) = |metric(corrupted model) − target|}: the metric of the ECO model on a held-out forget
 * slice, and the surrogate retained value (the oracle's metric when there is one, else a task-agnostic value
 * such as chance). The reference divides by 2ε even when the lower point was clamped; Lethe divides by the
 * actual gap. Each step costs two metric evaluations; every one is logged. The answer is the best point
 * queried, not the last iterate, because f is noisy and |·| is not smooth.
 */
public final class ZerothOrderTuner {

    private ZerothOrderTuner() {}

    /**
     * @param initial σ₀ (reference: 0.1)
     * @param epsilon finite-difference half-width ε (reference: 0.999·σ₀); use ≥ 1 when tuning an integer k
     * @param learningRate η (reference: 100)
     * @param steps iterations, two queries each (reference: 10)
     * @param min lower projection bound (reference: σ₀; a held-out tuning split makes a lower one safe)
     * @param max upper projection bound
     * @param decay step-size decay; 0 keeps η constant as the reference does
     * @param tolerance stop once the best objective is at or below this (reference: metric below 0.27 ≈ chance + 0.02)
     * @param signSteps step by {@code η_t · sign(g)} instead of {@code η_t · g} (Lethe option): the slope of
     *     {@code |metric − target|} can vary by orders of magnitude along σ, and sign steps with a decaying
     *     η behave like a bisection whatever the slope; off (the reference's rule) by default
     */
    public record Settings(double initial, double epsilon, double learningRate, int steps, double min, double max,
                           double decay, double tolerance, boolean signSteps) {

        public Settings {
            if (!(epsilon > 0) || !(learningRate > 0) || steps < 1 || !(min <= max) || !(decay >= 0)) {
                throw new IllegalArgumentException("invalid zeroth-order settings");
            }
        }

        /** The reference demo's values: σ₀ 0.1, ε 0.999σ₀, η 100, 10 steps, σ ≥ σ₀, no decay. */
        public static Settings reference() {
            return new Settings(0.1, 0.0999, 100, 10, 0.1, Double.MAX_VALUE, 0, 0, false);
        }
    }

    /**
     * One evaluation.
     *
     * @param step iteration (0-based); {@code steps} for the final check of the last iterate
     * @param role {@code plus}, {@code minus} or {@code final}
     * @param parameter σ (or k) evaluated
     * @param metric the metric's value there
     * @param objective {@code |metric − target|} (or the raw objective of {@link #minimise})
     */
    public record Query(int step, String role, double parameter, double metric, double objective) {}

    /**
     * @param best the queried parameter with the lowest objective (first one on ties)
     * @param bestObjective its objective
     * @param bestMetric its metric
     * @param queries every evaluation, in order
     * @param stoppedEarly whether the tolerance ended the run
     */
    public record Result(double best, double bestObjective, double bestMetric, List<Query> queries,
                         boolean stoppedEarly) {}

    /** Minimises a 1-D function directly (the metric is the objective). */
    public static Result minimise(DoubleUnaryOperator f, Settings s) {
        return run(x -> {
            double v = f.applyAsDouble(x);
            return new double[] {v, v};
        }, s);
    }

    /**
     * Tunes the corruption's parameter (σ, or k for zero-out / flip-sign) so that the corrupted model's metric
     * approaches {@code target}.
     *
     * @param base the corruption whose {@link Corruption#tunedParameter} is moved
     * @param modelFor the model to evaluate for a candidate corruption (e.g. {@code eco::withCorruption})
     * @param metric the task metric on the held-out forget slice
     * @param target the surrogate retained value
     */
    public static Result tune(Corruption base, Function<Corruption, LanguageModel> modelFor,
                              ToDoubleFunction<LanguageModel> metric, double target, Settings s) {
        return run(x -> {
            double v = metric.applyAsDouble(modelFor.apply(base.withTunedParameter(x)));
            return new double[] {v, Math.abs(v - target)};
        }, s);
    }

    /** {@code f(x) = [metric, objective]}. */
    private static Result run(Function<Double, double[]> f, Settings s) {
        List<Query> log = new ArrayList<>();
        double[] best = {Double.NaN, Double.POSITIVE_INFINITY, Double.NaN};
        double x = clamp(s.initial(), s);
        boolean early = false;
        for (int t = 0; t < s.steps(); t++) {
            double plus = clamp(x + s.epsilon(), s);
            double minus = clamp(x - s.epsilon(), s);
            double fp = query(f, t, "plus", plus, log, best);
            double fm = query(f, t, "minus", minus, log, best);
            if (best[1] <= s.tolerance()) {
                early = true;
                break;
            }
            double gap = plus - minus;
            double g = gap > 0 ? (fp - fm) / gap : 0;
            if (s.signSteps()) {
                g = Math.signum(g);
            }
            x = clamp(x - s.learningRate() / (1 + s.decay() * t) * g, s);
        }
        if (!early) {
            query(f, s.steps(), "final", x, log, best);
        }
        return new Result(best[0], best[1], best[2], List.copyOf(log), early);
    }

    private static double query(Function<Double, double[]> f, int step, String role, double x, List<Query> log,
                                double[] best) {
        double[] v = f.apply(x);
        log.add(new Query(step, role, x, v[0], v[1]));
        if (v[1] < best[1]) {
            best[0] = x;
            best[1] = v[1];
            best[2] = v[0];
        }
        return v[1];
    }

    private static double clamp(double x, Settings s) {
        return Math.min(s.max(), Math.max(s.min(), x));
    }
}

package dev.lethe.eval.attacks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * UnUnlearning's in-context relearning attack (spec §4): ask every forget item under each hint condition,
 * score the generations, and derive lift, recovery, excess recoverability and the many-shot curve.
 * Every condition uses the same template and decoding; only the context changes.
 */
public final class InContextRelearningAttack {

    private final HintBuilder hints;
    private final Correctness correctness;
    private final RelearningMetrics metrics;

    public InContextRelearningAttack(HintBuilder hints, Correctness correctness, long seed) {
        this.hints = hints;
        this.correctness = correctness;
        this.metrics = new RelearningMetrics(seed);
    }

    /** The default grid: H0–H4, H7, and H5/H6 at k = 1, 2, 4, …, maxShots. */
    public static List<Hint> defaultHints(int maxShots) {
        List<Hint> out = new ArrayList<>();
        for (Hint.Kind k : Hint.Kind.values()) {
            if (k != Hint.Kind.H5_FORGET_SHOTS && k != Hint.Kind.H6_RETAIN_SHOTS) {
                out.add(Hint.of(k));
            }
        }
        for (int k = 1; k <= maxShots; k *= 2) {
            out.add(Hint.shots(Hint.Kind.H5_FORGET_SHOTS, k));
            out.add(Hint.shots(Hint.Kind.H6_RETAIN_SHOTS, k));
        }
        return out;
    }

    /**
     * Scores {@code model} on {@code items} under each hint (one batched answer call per condition): the
     * correctness of each generation against the item's key.
     */
    public ConditionScores score(Answerer model, List<RelearningItem> items, List<Hint> conditions) {
        Map<Hint, double[]> out = new LinkedHashMap<>();
        Map<Hint, Integer> tooLong = new LinkedHashMap<>();
        for (Hint h : conditions) {
            double[] s = new double[items.size()];
            List<IclPrompt> prompts = new ArrayList<>();
            List<Integer> where = new ArrayList<>();
            int longer = 0;
            for (int i = 0; i < items.size(); i++) {
                IclPrompt p = hints.prompt(items.get(i), h);
                s[i] = Double.NaN;
                if (p != null && !model.fits(p)) {
                    longer++;
                } else if (p != null) {
                    prompts.add(p);
                    where.add(i);
                }
            }
            List<String> gen = prompts.isEmpty() ? List.of() : model.answer(prompts);
            for (int j = 0; j < where.size(); j++) {
                int i = where.get(j);
                s[i] = correctness.score(items.get(i).key(), gen.get(j));
            }
            out.put(h, s);
            tooLong.put(h, longer);
        }
        return new ConditionScores(out, tooLong);
    }

    /**
     * One report row per condition.
     *
     * @param accuracy A(M̂, H)
     * @param lift Δ_H
     * @param recovery ρ_H (with denominator), or null without the original model
     * @param excess E_H against the retrained/oracle model, or null without one
     */
    public record Row(Hint hint, double accuracy, Interval lift, RelearningMetrics.Recovery recovery,
                      Interval excess) {}

    /** Report plus the many-shot summary for H5. */
    public record Report(List<Row> rows, Map<Integer, Double> forgetShotRecovery, OptionalInt k50,
                         double recoveryArea) {}

    /**
     * @param unlearned M̂'s scores (must include H0)
     * @param original M's scores (needs H0), or null
     * @param reference M_ret's (or an oracle's) scores under the same conditions, or null
     */
    public Report report(ConditionScores unlearned, ConditionScores original, ConditionScores reference) {
        Hint h0 = Hint.of(Hint.Kind.H0_NONE);
        double[] none = unlearned.get(h0);
        List<Row> rows = new ArrayList<>();
        Map<Integer, Double> curve = new TreeMap<>();
        for (Map.Entry<Hint, double[]> e : unlearned.byHint().entrySet()) {
            Hint h = e.getKey();
            RelearningMetrics.Recovery rec = original == null ? null
                    : metrics.recovery(e.getValue(), none, original.get(h0));
            Interval ex = reference == null || !reference.byHint().containsKey(h) ? null
                    : metrics.excess(e.getValue(), reference.get(h));
            rows.add(new Row(h, unlearned.accuracy(h), metrics.lift(e.getValue(), none), rec, ex));
            if (h.kind() == Hint.Kind.H5_FORGET_SHOTS && rec != null) {
                curve.put(h.shots(), rec.rho().value());
            }
        }
        return new Report(rows, curve, RelearningMetrics.k50(curve), RelearningMetrics.areaOverLog2Shots(curve));
    }
}

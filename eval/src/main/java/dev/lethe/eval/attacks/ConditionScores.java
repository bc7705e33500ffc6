package dev.lethe.eval.attacks;

import java.util.Map;

/**
 * One model's per-item scores under each hint condition; NaN marks an item the condition skipped (no
 * material). Items are aligned by index across conditions and models.
 */
public record ConditionScores(Map<Hint, double[]> byHint) {

    public double[] get(Hint h) {
        double[] s = byHint.get(h);
        if (s == null) {
            throw new IllegalArgumentException("condition " + h.label() + " was not run");
        }
        return s;
    }

    /** Accuracy A under {@code h} over the items it covers. */
    public double accuracy(Hint h) {
        return RelearningMetrics.mean(get(h), null);
    }
}

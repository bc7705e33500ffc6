package dev.lethe.eval.attacks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One model's per-item scores under each hint condition; NaN marks an item the condition skipped (no
 * material, or a prompt too long for the model). Items are aligned by index across conditions and models.
 *
 * @param tooLong per condition, how many of the skipped items had material but did not fit the context
 */
public record ConditionScores(Map<Hint, double[]> byHint, Map<Hint, Integer> tooLong) {

    public ConditionScores {
        byHint = Collections.unmodifiableMap(new LinkedHashMap<>(byHint));
        tooLong = Collections.unmodifiableMap(new LinkedHashMap<>(tooLong));
    }

    public ConditionScores(Map<Hint, double[]> byHint) {
        this(byHint, Map.of());
    }

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

    /** Items {@code h} covers (scored, not skipped). */
    public int covered(Hint h) {
        int n = 0;
        for (double v : get(h)) {
            n += Double.isNaN(v) ? 0 : 1;
        }
        return n;
    }
}

package dev.lethe.eval.attacks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

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

    /**
     * {@code {"scores": {label: [score or null per item]}, "too_long": {label: count}}}: what a cache of the
     * scores holds ({@link #fromJson} reads it back).
     */
    public ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        writeScores(root.putObject("scores"));
        ObjectNode tl = root.putObject("too_long");
        tooLong.forEach((h, n) -> tl.put(h.label(), n));
        return root;
    }

    /** The scores {@link #toJson} wrote. */
    public static ConditionScores fromJson(JsonNode n) {
        Map<Hint, double[]> by = new LinkedHashMap<>();
        n.path("scores").fields().forEachRemaining(e -> {
            double[] v = new double[e.getValue().size()];
            for (int i = 0; i < v.length; i++) {
                JsonNode x = e.getValue().get(i);
                v[i] = x.isNull() ? Double.NaN : x.asDouble();
            }
            by.put(Hint.parse(e.getKey()), v);
        });
        Map<Hint, Integer> tl = new LinkedHashMap<>();
        n.path("too_long").fields().forEachRemaining(e -> tl.put(Hint.parse(e.getKey()), e.getValue().asInt()));
        return new ConditionScores(by, tl);
    }

    /** Per condition label, the per-item scores into {@code o}; a skipped item (NaN) is {@code null}. */
    void writeScores(ObjectNode o) {
        byHint.forEach((h, v) -> {
            ArrayNode a = o.putArray(h.label());
            for (double x : v) {
                if (Double.isNaN(x)) {
                    a.addNull();
                } else {
                    a.add(x);
                }
            }
        });
    }
}

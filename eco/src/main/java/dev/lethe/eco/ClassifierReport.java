package dev.lethe.eco;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Flag rates of the gate per prompt set, at the chosen threshold: true-positive rates on forget sets, false-positive
 * rates on benign ones (eco.md §3.2 requires the latter with every run). Set names say whether the classifier
 * saw the prompts in training ({@code forget_train}) or not.
 *
 * @param rates set name → flagged / total
 */
public record ClassifierReport(Map<String, Rate> rates) {

    /** Flagged prompts of a set. */
    public record Rate(int flagged, int total, boolean positive) {
        public double value() {
            return total == 0 ? Double.NaN : flagged / (double) total;
        }
    }

    public ClassifierReport {
        rates = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(rates));
    }

    /** Measures the flag rate of each set. */
    public static ClassifierReport measure(PromptClassifier c, Threshold t, Map<String, java.util.List<int[]>> positives,
                                           Map<String, java.util.List<int[]>> negatives) {
        Map<String, Rate> r = new LinkedHashMap<>();
        positives.forEach((k, v) -> r.put(k, rate(c, t, v, true)));
        negatives.forEach((k, v) -> r.put(k, rate(c, t, v, false)));
        return new ClassifierReport(r);
    }

    private static Rate rate(PromptClassifier c, Threshold t, java.util.List<int[]> inputs, boolean positive) {
        int f = 0;
        for (double m : c.margins(inputs)) {
            f += t.flags(m) ? 1 : 0;
        }
        return new Rate(f, inputs.size(), positive);
    }

    /** TPR of a positive set or FPR of a negative one; NaN when absent or empty. */
    public double rate(String set) {
        Rate r = rates.get(set);
        return r == null ? Double.NaN : r.value();
    }

    ObjectNode toJson(ObjectMapper json) {
        ObjectNode o = json.createObjectNode();
        rates.forEach((k, v) -> o.putObject(k).put(v.positive() ? "tpr" : "fpr", v.value())
                .put("flagged", v.flagged()).put("total", v.total()));
        return o;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        rates.forEach((k, v) -> sb.append(String.format("%-24s %s %.3f (%d/%d)%n", k, v.positive() ? "TPR" : "FPR",
                v.value(), v.flagged(), v.total())));
        return sb.toString();
    }
}

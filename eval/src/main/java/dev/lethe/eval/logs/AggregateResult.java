package dev.lethe.eval.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Output of {@code lethe aggregate}: recomputed metric values, and the values the log itself stored
 * (OU layout only) so a reader sees whether they agree.
 *
 * @param source description of the inputs
 * @param values metric → recomputed value (null when undefined), in display order
 * @param stored metric → value stored in the log; empty for legacy logs, which store none
 */
public record AggregateResult(String source, Map<String, Double> values, Map<String, Double> stored) {

    public AggregateResult {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        stored = Collections.unmodifiableMap(new LinkedHashMap<>(stored));
    }

    public Double get(String metric) {
        return values.get(metric);
    }

    /** Plain-text table: metric, value, and (when the log stored one) the stored value with a mark on disagreement. */
    public String table() {
        int w = Math.max(6, values.keySet().stream().mapToInt(String::length).max().orElse(6));
        boolean withStored = !stored.isEmpty();
        StringBuilder sb = new StringBuilder();
        sb.append(source).append('\n');
        String header = String.format(Locale.ROOT, "%-" + w + "s  %14s", "metric", "value");
        if (withStored) {
            header += String.format(Locale.ROOT, "  %14s", "stored");
        }
        sb.append(header).append('\n').append("-".repeat(header.length())).append('\n');
        values.forEach((k, v) -> {
            sb.append(String.format(Locale.ROOT, "%-" + w + "s  %14s", k, format(v)));
            if (withStored) {
                Double s = stored.get(k);
                sb.append(String.format(Locale.ROOT, "  %14s", s == null ? "-" : format(s)));
                if (s != null && v != null && !agrees(v, s)) {
                    sb.append("  *differs*");
                }
            }
            sb.append('\n');
        });
        return sb.toString();
    }

    /**
     * One JSON object: {@code source}, every recomputed metric (model_utility, forget_quality and the
     * utility components) and, for logs that store their own numbers, {@code stored}.
     */
    public String json() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode n = json.createObjectNode();
        n.put("source", source);
        values.forEach((k, v) -> {
            if (v == null) {
                n.putNull(key(k));
            } else {
                n.put(key(k), v);
            }
        });
        if (!stored.isEmpty()) {
            ObjectNode st = n.putObject("stored");
            stored.forEach((k, v) -> {
                if (v == null) {
                    st.putNull(k);
                } else {
                    st.put(k, v);
                }
            });
        }
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Legacy display names ("Model Utility", "Real Authors Prob.") as snake_case keys; OU names unchanged. */
    static String key(String name) {
        if (!name.contains(" ")) {
            return name;
        }
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
    }

    @Override
    public String toString() {
        return table();
    }

    static String format(Double v) {
        if (v == null) {
            return "null";
        }
        double a = Math.abs(v);
        return (a != 0 && (a < 1e-3 || a >= 1e5)) ? String.format(Locale.ROOT, "%.4e", v) : String.format(Locale.ROOT, "%.4f", v);
    }

    private static boolean agrees(double a, double b) {
        return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.max(Math.abs(a), Math.abs(b)));
    }
}

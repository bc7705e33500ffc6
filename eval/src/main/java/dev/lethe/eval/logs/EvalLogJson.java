package dev.lethe.eval.logs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.eval.metrics.engine.EvalLog;
import dev.lethe.eval.metrics.engine.MetricResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads and writes open-unlearning's {@code TOFU_EVAL.json} layout
 * ({@code metric → {"agg_value", "value_by_index": {"<index>": {...}}, ...}}) and the summary file.
 *
 * <p>Writing is deterministic (top-level metrics sorted by name as OU's {@code save_logs} does,
 * per-index entries in the result's order, 4-space indentation) and atomic (temp file in the same
 * directory, then rename), so a crash never leaves a half-written log that a later run would trust.
 * NaN is written bare, as Python's {@code json} does, and read back.
 */
public final class EvalLogJson {

    /** OU's fine-grained log name for the TOFU benchmark. */
    public static final String EVAL_FILE = "TOFU_EVAL.json";
    /** Aggregates of the requested metrics (OU names its equivalent {@code TOFU_SUMMARY.json}). */
    public static final String SUMMARY_FILE = "SUMMARY.json";

    static final ObjectMapper MAPPER = JsonMapper.builder(new JsonFactory())
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private EvalLogJson() { }

    // ---- reading -------------------------------------------------------------------------------

    /** Reads a {@code TOFU_EVAL.json}; errors name the file and the offending metric. */
    public static EvalLog read(Path file) {
        JsonNode root = readTree(file);
        if (!root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a JSON object of metrics, got " + root.getNodeType());
        }
        Map<String, MetricResult> metrics = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            metrics.put(e.getKey(), toResult(e.getValue(), file + ": metric '" + e.getKey() + "'"));
        }
        return new EvalLog(file, metrics);
    }

    static JsonNode readTree(Path file) {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read JSON " + file + ": " + e.getMessage(), e);
        }
    }

    private static MetricResult toResult(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return MetricResult.aggregateOnly(null);
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " is not an object");
        }
        Double agg = null;
        Map<String, Map<String, Object>> byIndex = new LinkedHashMap<>();
        Map<String, Object> extra = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "agg_value" -> {
                    if (!v.isNull() && !v.isNumber()) {
                        throw new IllegalArgumentException(where + ".agg_value is not a number: " + v);
                    }
                    agg = v.isNull() ? null : v.doubleValue();
                }
                case "value_by_index" -> {
                    if (!v.isObject()) {
                        throw new IllegalArgumentException(where + ".value_by_index is not an object");
                    }
                    for (Iterator<Map.Entry<String, JsonNode>> ix = v.fields(); ix.hasNext(); ) {
                        Map.Entry<String, JsonNode> item = ix.next();
                        byIndex.put(item.getKey(), toEntry(item.getValue(), where + ".value_by_index[" + item.getKey() + "]"));
                    }
                }
                default -> extra.put(f.getKey(), v.isObject() && (v.has("value_by_index") || v.has("agg_value"))
                        ? toResult(v, where + "." + f.getKey()) : toPlain(v));
            }
        }
        return new MetricResult(agg, byIndex, extra);
    }

    private static Map<String, Object> toEntry(JsonNode node, String where) {
        if (node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(where + " is not an object");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        node.fields().forEachRemaining(f -> m.put(f.getKey(), toPlain(f.getValue())));
        return m;
    }

    static Object toPlain(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber()) {
            return v.longValue();
        }
        if (v.isNumber()) {
            return v.doubleValue();
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isArray()) {
            List<Object> l = new ArrayList<>();
            v.forEach(x -> l.add(toPlain(x)));
            return l;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        v.fields().forEachRemaining(f -> m.put(f.getKey(), toPlain(f.getValue())));
        return m;
    }

    // ---- writing -------------------------------------------------------------------------------

    /** The log as a JSON tree, metrics sorted by name. */
    public static ObjectNode toJson(EvalLog log) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, MetricResult> e : new TreeMap<>(log.metrics()).entrySet()) {
            root.set(e.getKey(), toJson(e.getValue()));
        }
        return root;
    }

    static ObjectNode toJson(MetricResult r) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        putValue(o, "agg_value", r.aggValue());
        if (!r.valueByIndex().isEmpty()) {
            ObjectNode byIndex = o.putObject("value_by_index");
            r.valueByIndex().forEach((idx, entry) -> {
                if (entry == null) {
                    byIndex.putNull(idx);
                } else {
                    ObjectNode eo = byIndex.putObject(idx);
                    entry.forEach((k, v) -> putValue(eo, k, v));
                }
            });
        }
        r.extra().forEach((k, v) -> putValue(o, k, v));
        return o;
    }

    private static void putValue(ObjectNode o, String key, Object v) {
        o.set(key, toNode(v));
    }

    private static JsonNode toNode(Object v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v == null) {
            return f.nullNode();
        }
        if (v instanceof MetricResult r) {
            return toJson(r);
        }
        if (v instanceof Double d) {
            return f.numberNode(d);
        }
        if (v instanceof Float d) {
            return f.numberNode(d.doubleValue());
        }
        if (v instanceof Integer i) {
            return f.numberNode(i);
        }
        if (v instanceof Long l) {
            return f.numberNode(l);
        }
        if (v instanceof String s) {
            return f.textNode(s);
        }
        if (v instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (v instanceof Collection<?> c) {
            ArrayNode a = f.arrayNode();
            c.forEach(x -> a.add(toNode(x)));
            return a;
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = f.objectNode();
            m.forEach((k, x) -> o.set(String.valueOf(k), toNode(x)));
            return o;
        }
        throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " to an eval log");
    }

    /** Writes {@code TOFU_EVAL.json} atomically. */
    public static Path writeEvalLog(Path dir, EvalLog log) {
        return writeAtomically(dir.resolve(EVAL_FILE), toJson(log));
    }

    /**
     * Writes {@code SUMMARY.json}: {@code agg_value} of each of {@code requested} that has one, sorted
     * by name (OU's {@code summarize}: pre-computed dependencies are not summarised).
     */
    public static Path writeSummary(Path dir, EvalLog log, Collection<String> requested) {
        return writeAtomically(dir.resolve(SUMMARY_FILE), summary(log, requested));
    }

    /** Writes both files. */
    public static void write(Path dir, EvalLog log, Collection<String> requested) {
        writeEvalLog(dir, log);
        writeSummary(dir, log, requested);
    }

    static ObjectNode summary(EvalLog log, Collection<String> requested) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (String name : new java.util.TreeSet<>(requested)) {
            MetricResult r = log.metrics().get(name);
            if (r != null && r.aggValue() != null) {
                o.put(name, r.aggValue());
            }
        }
        return o;
    }

    static Path writeAtomically(Path target, JsonNode json) {
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
            try {
                // Python's json.dump(indent=4) layout: 4 spaces, "key": value.
                DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
                        .withSeparators(com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
                                .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER))
                        .withObjectIndenter(new DefaultIndenter("    ", "\n"))
                        .withArrayIndenter(new DefaultIndenter("    ", "\n"));
                byte[] bytes = MAPPER.writer(pp).writeValueAsBytes(json);
                Files.write(tmp, bytes);
                Files.write(tmp, new byte[] {'\n'}, java.nio.file.StandardOpenOption.APPEND);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}

package dev.lethe.eval.logs;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A legacy TOFU eval log: TF's {@code eval_log_aggregated.json} (file name → per-metric → per-index)
 * or a single per-split file such as {@code eval_log_forget.json}.
 *
 * @param source the file read
 * @param splits the tasks present
 */
public record LegacyLog(Path source, Map<LegacyTask, LegacySplitLog> splits) {

    public LegacyLog {
        splits = Collections.unmodifiableMap(new EnumMap<>(splits.isEmpty() ? new EnumMap<>(LegacyTask.class) : splits));
    }

    public LegacySplitLog require(LegacyTask task) {
        LegacySplitLog s = splits.get(task);
        if (s == null) {
            throw new IllegalStateException(source + " has no '" + task.fileName() + "' section (has "
                    + splits.keySet().stream().map(LegacyTask::fileName).toList() + ")");
        }
        return s;
    }

    public boolean has(LegacyTask task) {
        return splits.containsKey(task);
    }

    /**
     * Reads either layout. A top-level object with {@code avg_gt_loss} is one split, named by the file
     * name; otherwise every top-level key must be one of the four TF file names.
     */
    public static LegacyLog read(Path file) {
        JsonNode root = EvalLogJson.readTree(file);
        if (!root.isObject()) {
            throw new IllegalArgumentException(file + ": expected a JSON object");
        }
        Map<LegacyTask, LegacySplitLog> splits = new EnumMap<>(LegacyTask.class);
        if (root.has("avg_gt_loss")) {
            LegacyTask task = LegacyTask.byFileName(file.getFileName().toString());
            if (task == null) {
                throw new IllegalArgumentException(file + ": a single-split legacy log must be named one of "
                        + List.of(LegacyTask.values()).stream().map(LegacyTask::fileName).toList());
            }
            splits.put(task, readSplit(root, task, file + ""));
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                LegacyTask task = LegacyTask.byFileName(e.getKey());
                if (task == null) {
                    throw new IllegalArgumentException(file + ": unexpected top-level key '" + e.getKey()
                            + "' (neither a legacy eval file name nor a per-split log field)");
                }
                splits.put(task, readSplit(e.getValue(), task, file + ": " + e.getKey()));
            }
        }
        return new LegacyLog(file, splits);
    }

    private static LegacySplitLog readSplit(JsonNode node, LegacyTask task, String where) {
        JsonNode gt = field(node, "avg_gt_loss", where);
        List<LegacyItem> items = new ArrayList<>();
        for (Iterator<String> keys = gt.fieldNames(); keys.hasNext(); ) {
            String k = keys.next();
            String at = where + " index " + k;
            JsonNode gen = field(node, "generated_text", where).get(k);
            if (gen == null || !gen.isArray() || gen.size() != 3) {
                throw new IllegalArgumentException(at + ": generated_text must be [input, generation, ground_truth]");
            }
            JsonNode pert = item(node, "average_perturb_loss", k, at);
            double[] pertLoss = new double[pert.size()];
            for (int i = 0; i < pertLoss.length; i++) {
                pertLoss[i] = pert.get(i).doubleValue();
            }
            int[] pertTokens = new int[pertLoss.length];
            JsonNode nt = node.path("num_token_perturb").get(k);
            if (nt != null && nt.isArray() && nt.size() == pertTokens.length) {
                for (int i = 0; i < pertTokens.length; i++) {
                    pertTokens[i] = nt.get(i).intValue();
                }
            }
            JsonNode tr = node.path("truth_ratio").get(k);
            items.add(new LegacyItem(k,
                    number(node, "avg_gt_loss", k, at),
                    node.path("num_token_gt").path(k).asInt(0),
                    number(node, "avg_paraphrased_loss", k, at),
                    node.path("num_token_paraphrased").path(k).asInt(0),
                    pertLoss, pertTokens,
                    number(node, "rouge1_recall", k, at),
                    number(node, "rougeL_recall", k, at),
                    gen.get(0).asText(), gen.get(1).asText(), gen.get(2).asText(),
                    tr == null || tr.isNull() ? null : tr.doubleValue()));
        }
        return new LegacySplitLog(task, items);
    }

    private static JsonNode field(JsonNode node, String name, String where) {
        JsonNode f = node.get(name);
        if (f == null || !f.isObject()) {
            throw new IllegalArgumentException(where + ": missing per-index field '" + name + "'");
        }
        return f;
    }

    private static JsonNode item(JsonNode node, String name, String key, String where) {
        JsonNode v = field(node, name, where).get(key);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException(where + ": field '" + name + "' has no value");
        }
        return v;
    }

    private static double number(JsonNode node, String name, String key, String where) {
        JsonNode v = item(node, name, key, where);
        if (!v.isNumber()) {
            throw new IllegalArgumentException(where + ": field '" + name + "' is not a number: " + v);
        }
        return v.doubleValue();
    }
}

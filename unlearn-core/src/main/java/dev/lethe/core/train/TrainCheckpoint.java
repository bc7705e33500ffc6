package dev.lethe.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.core.io.SafetensorsWriter;
import dev.lethe.core.io.TensorSource;
import dev.lethe.core.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A resumable training checkpoint: the trained tensors, AdamW's moments and the step counter with the
 * loss history, in one directory written atomically ({@code weights.safetensors},
 * {@code optimizer.safetensors}, {@code trainer.json}). Batches are indexed by step, so resuming replays
 * exactly the batches the interrupted run would have seen.
 */
public final class TrainCheckpoint {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainCheckpoint() {}

    /** Step counter and history restored from a checkpoint. */
    public record State(int step, List<Double> losses, List<Double> gradNorms) {}

    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve("trainer.json"));
    }

    static void save(Path dir, int step, List<Double> losses, List<Double> norms, Map<String, Parameter> params,
                     AdamW adam) throws IOException {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        params.forEach((k, p) -> weights.put(k, p.getArray()));
        AtomicFiles.replaceDirectory(dir, tmp -> {
            writeTensors(tmp.resolve("weights.safetensors"), weights);
            writeTensors(tmp.resolve("optimizer.safetensors"), adam.stateTensors());
            ObjectNode n = JSON.createObjectNode();
            n.put("step", step);
            n.putPOJO("losses", losses);
            n.putPOJO("grad_norms", norms);
            Files.writeString(tmp.resolve("trainer.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
        });
    }

    static State load(Path dir, Map<String, Parameter> params, AdamW adam) throws IOException {
        JsonNode n = JSON.readTree(dir.resolve("trainer.json").toFile());
        Map<String, float[]> w = readTensors(dir.resolve("weights.safetensors"));
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            float[] v = w.get(e.getKey());
            if (v == null) {
                throw new IOException(dir.resolve("weights.safetensors") + ": no tensor " + e.getKey());
            }
            NDArray a = e.getValue().getArray();
            if (v.length != a.getShape().size()) {
                throw new IOException(dir.resolve("weights.safetensors") + ": tensor " + e.getKey() + " has "
                        + v.length + " values, expected shape " + a.getShape());
            }
            a.set(v);
        }
        adam.loadState(readTensors(dir.resolve("optimizer.safetensors")));
        List<Double> losses = new ArrayList<>();
        n.path("losses").forEach(x -> losses.add(x.asDouble()));
        List<Double> norms = new ArrayList<>();
        n.path("grad_norms").forEach(x -> norms.add(x.asDouble()));
        return new State(n.path("step").asInt(), losses, norms);
    }

    private static void writeTensors(Path file, Map<String, NDArray> tensors) throws IOException {
        new SafetensorsWriter().addAll(tensors).write(file);
    }

    private static Map<String, float[]> readTensors(Path file) throws IOException {
        Map<String, float[]> out = new HashMap<>();
        try (NDManager m = NDManager.newBaseManager(); TensorSource src = TensorSource.open(file)) {
            for (String name : src.names()) {
                out.put(name, src.load(name, m).toFloatArray());
            }
        }
        return out;
    }
}

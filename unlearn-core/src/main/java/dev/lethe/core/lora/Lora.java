package dev.lethe.core.lora;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderLayer;
import dev.lethe.core.model.Projection;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.core.io.SafetensorsWriter;
import dev.lethe.core.io.TensorSource;
import dev.lethe.core.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * LoRA adapters attached to a decoder: {@code W + (α/r)·B·A} on the chosen projections, with the base
 * weights frozen. Adapter tensors carry PEFT's names
 * ({@code base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight}) so they save on their own in
 * PEFT's layout.
 */
public final class Lora implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Decoder model;
    private final LoraConfig config;
    private final NDManager manager;
    private final Map<String, LoraAdapter> adapters = new LinkedHashMap<>();

    private Lora(Decoder model, LoraConfig config, long seed) {
        this.model = model;
        this.config = config;
        this.manager = model.manager().newSubManager();
        Random random = new Random(seed);
        int n = config.layers() < 0 ? model.layers().size() : Math.min(config.layers(), model.layers().size());
        for (int i = 0; i < n; i++) {
            DecoderLayer l = model.layers().get(i);
            String p = "model.layers." + i + ".";
            Map<String, Projection> byName = new LinkedHashMap<>();
            byName.put("self_attn.q_proj", l.attention().qProj());
            byName.put("self_attn.k_proj", l.attention().kProj());
            byName.put("self_attn.v_proj", l.attention().vProj());
            byName.put("self_attn.o_proj", l.attention().oProj());
            byName.put("mlp.gate_proj", l.mlp().gateProj());
            byName.put("mlp.up_proj", l.mlp().upProj());
            byName.put("mlp.down_proj", l.mlp().downProj());
            for (Map.Entry<String, Projection> e : byName.entrySet()) {
                String shortName = e.getKey().substring(e.getKey().indexOf('.') + 1);
                if (config.targets().contains(shortName)) {
                    LoraAdapter ad = new LoraAdapter(e.getValue(), config.rank(), config.scale(), config.dropout(),
                            manager, random);
                    e.getValue().setAdapter(ad);
                    adapters.put(p + e.getKey(), ad);
                }
            }
        }
        model.hfParameters().values().forEach(param -> param.freeze(true));
    }

    /** Attaches fresh adapters (B = 0) and freezes every base parameter. */
    public static Lora attach(Decoder model, LoraConfig config, long seed) {
        return new Lora(model, config, seed);
    }

    public LoraConfig config() {
        return config;
    }

    public Map<String, LoraAdapter> adapters() {
        return Collections.unmodifiableMap(adapters);
    }

    /** The trainable adapter tensors under PEFT names. */
    public Map<String, Parameter> parameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        adapters.forEach((k, a) -> {
            out.put("base_model.model." + k + ".lora_A.weight", a.a());
            out.put("base_model.model." + k + ".lora_B.weight", a.b());
        });
        return out;
    }

    /** Adapter tensors by PEFT name, for saving. */
    public Map<String, NDArray> tensors() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        parameters().forEach((k, p) -> out.put(k, p.getArray()));
        return out;
    }

    public static final String ADAPTER_FILE = "adapter_model.safetensors";
    public static final String ADAPTER_CONFIG_FILE = "adapter_config.json";

    /**
     * Writes the adapters on their own, in PEFT's layout ({@value #ADAPTER_FILE} with PEFT tensor names and
     * {@value #ADAPTER_CONFIG_FILE}), so Python tooling can read them; the base model is not written.
     */
    public void save(Path dir) throws IOException {
        Files.createDirectories(dir);
        new SafetensorsWriter().metadata("format", "pt").addAll(tensors()).write(dir.resolve(ADAPTER_FILE));
        ObjectNode n = JSON.createObjectNode();
        n.put("peft_type", "LORA");
        n.put("task_type", "CAUSAL_LM");
        n.put("r", config.rank());
        n.put("lora_alpha", config.alpha());
        n.put("lora_dropout", config.dropout());
        n.put("bias", "none");
        config.targets().forEach(n.putArray("target_modules")::add);
        if (config.layers() >= 0) {
            ArrayNode layers = n.putArray("layers_to_transform");
            for (int i = 0; i < Math.min(config.layers(), model.layers().size()); i++) {
                layers.add(i);
            }
        }
        n.putNull("base_model_name_or_path");
        n.put("inference_mode", true);
        AtomicFiles.writeString(dir.resolve(ADAPTER_CONFIG_FILE),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n");
    }

    /**
     * Copies adapter tensors saved by {@link #save} into these adapters (which must be unmerged); names and
     * shapes must match exactly.
     */
    public void load(Path dir) throws IOException {
        Path file = dir.resolve(ADAPTER_FILE);
        Map<String, Parameter> params = parameters();
        try (TensorSource src = TensorSource.open(file); NDManager m = manager.newSubManager()) {
            List<String> extra = new ArrayList<>();
            for (String name : src.names()) {
                if (!params.containsKey(name)) {
                    extra.add(name);
                }
            }
            if (!extra.isEmpty()) {
                throw new IOException(file + ": tensors with no matching adapter: " + extra);
            }
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                if (!src.contains(e.getKey())) {
                    throw new IOException(file + ": missing adapter tensor " + e.getKey());
                }
                NDArray dst = e.getValue().getArray();
                NDArray loaded = src.load(e.getKey(), m);
                if (!loaded.getShape().equals(dst.getShape())) {
                    throw new IOException(file + ": " + e.getKey() + " has shape " + loaded.getShape()
                            + ", the adapter needs " + dst.getShape());
                }
                loaded.copyTo(dst);
            }
        }
    }

    /** Folds every adapter into its base weight (forward then costs nothing extra). */
    public void merge() {
        adapters.values().forEach(LoraAdapter::merge);
    }

    /** Undoes {@link #merge}. */
    public void unmerge() {
        adapters.values().forEach(LoraAdapter::unmerge);
    }

    /** Removes the adapters (unmerging first) and unfreezes the base. */
    @Override
    public void close() {
        unmerge();
        adapters.values().forEach(a -> a.target().setAdapter(null));
        model.hfParameters().values().forEach(p -> p.freeze(false));
        manager.close();
    }
}

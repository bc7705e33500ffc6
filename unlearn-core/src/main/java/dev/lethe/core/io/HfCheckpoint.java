package dev.lethe.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.model.WeightSource;
import dev.lethe.core.text.LetheTokenizer;
import dev.lethe.core.util.AtomicFiles;
import dev.lethe.core.util.Provenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Hugging Face checkpoint directories: {@code config.json} (LlamaForCausalLM and friends),
 * {@code model.safetensors} or a sharded index with HF tensor names, {@code tokenizer.json},
 * {@code tokenizer_config.json}, and Lethe's {@code lethe.json} provenance.
 *
 * <p>Loading checks every tensor against the config: a missing tensor, an unexpected tensor or a shape
 * mismatch fails with the tensor's name, the file and both shapes. Saving writes the whole directory into
 * a temporary sibling and renames it into place, so a crash never leaves half a checkpoint.
 */
public final class HfCheckpoint {

    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String TOKENIZER = "tokenizer.json";
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";

    /** Buffers some HF checkpoints carry that are recomputed rather than loaded. */
    private static final Pattern IGNORED = Pattern.compile(".*rotary_emb\\.inv_freq$");

    private static final ObjectMapper JSON = new ObjectMapper();

    private HfCheckpoint() {}

    /** Reads {@code config.json} of a checkpoint directory. */
    public static DecoderConfig config(Path dir) throws IOException {
        Path f = dir.resolve(CONFIG);
        if (!Files.isRegularFile(f)) {
            throw new NoSuchFileException(f.toString(), null, "not a checkpoint directory: no " + CONFIG);
        }
        return DecoderConfig.read(f);
    }

    /** Loads the decoder of a checkpoint directory into a sub-manager of {@code parent}. */
    public static Decoder load(Path dir, NDManager parent) throws IOException {
        DecoderConfig config = config(dir);
        try (TensorSource source = TensorSource.open(dir)) {
            CheckpointWeights weights = new CheckpointWeights(source, config);
            try {
                return new Decoder(config, parent, weights);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
    }

    /**
     * Saves {@code model} as an HF checkpoint directory with the tokenizer files of {@code tokenizer}
     * (its {@code tokenizer.json} and, when present beside it, {@code tokenizer_config.json}; otherwise
     * one is written) and the provenance (may be null).
     */
    public static void save(Decoder model, LetheTokenizer tokenizer, Provenance provenance, Path dir)
            throws IOException {
        save(model, tokenizer == null ? null : tokenizer.file(), provenance, dir);
    }

    /** As {@link #save(Decoder, LetheTokenizer, Provenance, Path)} with the tokenizer given by its file. */
    public static void save(Decoder model, Path tokenizerJson, Provenance provenance, Path dir) throws IOException {
        AtomicFiles.replaceDirectory(dir, tmp -> {
            model.config().write(tmp.resolve(CONFIG));
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, Parameter> e : model.hfParameters().entrySet()) {
                tensors.put(e.getKey(), e.getValue().getArray());
            }
            // transformers refuses safetensors files whose metadata lacks format = pt
            new SafetensorsWriter().metadata("format", "pt").addAll(tensors).write(tmp.resolve(WEIGHTS));
            if (tokenizerJson != null) {
                Files.copy(tokenizerJson, tmp.resolve(TOKENIZER), StandardCopyOption.REPLACE_EXISTING);
                Path tc = tokenizerJson.resolveSibling(TOKENIZER_CONFIG);
                if (Files.isRegularFile(tc)) {
                    Files.copy(tc, tmp.resolve(TOKENIZER_CONFIG), StandardCopyOption.REPLACE_EXISTING);
                } else {
                    writeTokenizerConfig(tokenizerJson, model.config(), tmp.resolve(TOKENIZER_CONFIG));
                }
            }
            if (provenance != null) {
                provenance.write(tmp);
            }
        });
    }

    /** A minimal {@code tokenizer_config.json} that transformers' {@code AutoTokenizer} accepts. */
    private static void writeTokenizerConfig(Path tokenizerJson, DecoderConfig c, Path out) throws IOException {
        ObjectNode n = JSON.createObjectNode();
        try (LetheTokenizer t = LetheTokenizer.load(tokenizerJson)) {
            if (t.bosId() >= 0) {
                n.put("bos_token", t.bosToken());
            } else if (c.bosTokenId() >= 0 && c.bosTokenId() < c.vocabSize()) {
                // the tokenizer adds no BOS itself, yet config.json names one: declare it, so that
                // transformers' tokenizer.bos_token_id agrees with the model's config (found by loading with it)
                String bos = idToken(t, c.bosTokenId(), null);
                if (bos != null) {
                    n.put("bos_token", bos);
                }
            }
            n.put("eos_token", t.eosToken());
            n.put("pad_token", idToken(t, c.padTokenId(), t.eosToken()));
            n.put("clean_up_tokenization_spaces", false);
            n.put("model_max_length", c.maxPositionEmbeddings());
            n.put("tokenizer_class", "PreTrainedTokenizerFast");
        }
        Files.writeString(out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n");
    }

    private static String idToken(LetheTokenizer t, int id, String fallback) {
        String[] toks = t.huggingFace().decode(new long[] {id}, false).split("\\s+");
        return toks.length == 1 && !toks[0].isEmpty() ? toks[0] : fallback;
    }

    /** Supplies decoder tensors from a checkpoint, checking names and shapes. */
    private static final class CheckpointWeights implements WeightSource {
        private final TensorSource source;
        private final DecoderConfig config;
        private final Set<String> used = new HashSet<>();

        CheckpointWeights(TensorSource source, DecoderConfig config) {
            this.source = source;
            this.config = config;
        }

        @Override
        public NDArray tensor(String name, Shape shape, NDManager manager) {
            if (!source.contains(name)) {
                throw new UncheckedIOException(new IOException(where() + ": missing tensor " + name + " (expected shape "
                        + shape + " for " + config.modelType() + " with " + config.numHiddenLayers() + " layers)"));
            }
            TensorInfo info = source.info(name);
            if (!Arrays.equals(info.shape(), shape.getShape())) {
                throw new UncheckedIOException(new IOException(where() + ": tensor " + name + " has shape "
                        + Arrays.toString(info.shape()) + " but config.json implies " + Arrays.toString(shape.getShape())));
            }
            used.add(name);
            try {
                return source.load(name, manager);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void finish() {
            List<String> extra = new ArrayList<>();
            for (String n : source.names()) {
                boolean tiedHead = config.tieWordEmbeddings() && n.equals("lm_head.weight");
                if (!used.contains(n) && !IGNORED.matcher(n).matches() && !tiedHead) {
                    extra.add(n);
                }
            }
            if (!extra.isEmpty()) {
                throw new UncheckedIOException(new IOException(where() + ": unexpected tensor"
                        + (extra.size() > 1 ? "s " : " ") + String.join(", ", extra.subList(0, Math.min(5, extra.size())))
                        + (extra.size() > 5 ? " … (" + extra.size() + " in all)" : "")
                        + " not used by a " + config.numHiddenLayers() + "-layer " + config.modelType() + " decoder"));
            }
        }

        private String where() {
            return source.toString();
        }
    }
}

package dev.lethe.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.util.Provenance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HfCheckpointTest {

    static final DecoderConfig CONFIG = new DecoderConfig("llama", 12, 16, 24, 2, 4, 2, 1e-5, 10000.0, 64,
            false, false, 1, 2, 0);

    /** A hand-written WordLevel tokenizer.json (no dependency on the datasets module). */
    static Path tokenizer(Path dir) throws IOException {
        return tokenizer(dir, List.of("<pad>", "<bos>", "<eos>", "<unk>", "the", "cat", "sat", "on", "mat", "a", "dog",
                "."), 4, "<bos>");
    }

    /**
     * A WordLevel tokenizer.json over {@code tokens} (id = index), the first {@code specials} of them special,
     * splitting on whitespace, "<unk>" for unknown words; {@code bos}, when not null, is prepended by a
     * TemplateProcessing post-processor.
     */
    static Path tokenizer(Path dir, List<String> tokens, int specials, String bos) throws IOException {
        StringBuilder vocab = new StringBuilder();
        StringBuilder added = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            vocab.append(i == 0 ? "" : ",").append('"').append(tokens.get(i)).append("\":").append(i);
            if (i < specials) {
                added.append(i == 0 ? "" : ",").append("{\"id\":").append(i).append(",\"content\":\"")
                        .append(tokens.get(i)).append("\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,"
                                + "\"normalized\":false,\"special\":true}");
            }
        }
        String post = bos == null ? "null"
                : "{\"type\":\"TemplateProcessing\",\"single\":[{\"SpecialToken\":{\"id\":\"" + bos + "\",\"type_id\":0}},"
                + "{\"Sequence\":{\"id\":\"A\",\"type_id\":0}}],\"pair\":[{\"Sequence\":{\"id\":\"A\",\"type_id\":0}},"
                + "{\"Sequence\":{\"id\":\"B\",\"type_id\":1}}],\"special_tokens\":{\"" + bos + "\":{\"id\":\"" + bos
                + "\",\"ids\":[" + tokens.indexOf(bos) + "],\"tokens\":[\"" + bos + "\"]}}}";
        String json = "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[" + added + "],"
                + "\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"WhitespaceSplit\"},\"post_processor\":" + post + ","
                + "\"decoder\":null,\"model\":{\"type\":\"WordLevel\",\"vocab\":{" + vocab + "},\"unk_token\":\"<unk>\"}}";
        Files.createDirectories(dir);
        Path f = dir.resolve("tokenizer.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void saveThenLoadIsBitExactAndFollowsHfLayout(@TempDir Path tmp) throws IOException {
        Path ckpt = tmp.resolve("model");
        Path tok = tokenizer(tmp.resolve("tok"));
        try (NDManager m = NDManager.newBaseManager(); Decoder d = Decoder.random(CONFIG, m, 3)) {
            Provenance p = Provenance.of("test", Map.of("k", "v"), 3, Map.of());
            HfCheckpoint.save(d, tok, p, ckpt);
            for (String f : List.of("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                    "lethe.json")) {
                assertTrue(Files.isRegularFile(ckpt.resolve(f)), f);
            }
            try (Decoder back = HfCheckpoint.load(ckpt, m)) {
                assertEquals(d.config(), back.config());
                for (Map.Entry<String, Parameter> e : d.hfParameters().entrySet()) {
                    float[] a = e.getValue().getArray().toFloatArray();
                    float[] b = back.hfParameters().get(e.getKey()).getArray().toFloatArray();
                    assertArrayEquals(a, b, 0f, e.getKey());
                }
                long[] ids = {1, 4, 5, 6, 7, 4, 8, 11};
                assertArrayEquals(d.logits(TokenBatch.single(m, ids)).toFloatArray(),
                        back.logits(TokenBatch.single(m, ids)).toFloatArray(), 0f);
            }
            // HF layout: config keys, tensor names, shapes and dtypes as LlamaForCausalLM expects
            JsonNode cfg = new ObjectMapper().readTree(ckpt.resolve("config.json").toFile());
            assertEquals("LlamaForCausalLM", cfg.path("architectures").get(0).asText());
            assertEquals(2, cfg.path("num_key_value_heads").asInt());
            try (TensorSource s = TensorSource.open(ckpt)) {
                assertEquals("pt", s.metadata().get("format"));
                assertEquals(Dtype.F32, s.info("model.layers.1.self_attn.k_proj.weight").dtype());
                assertArrayEquals(new long[] {8, 16}, s.info("model.layers.1.self_attn.k_proj.weight").shape());
                assertArrayEquals(new long[] {12, 16}, s.info("lm_head.weight").shape());
                assertEquals(1 + 2 * 9 + 1 + 1, s.names().size()); // embed, 2 layers × 9, norm, head
            }
        }
    }

    @Test
    void shapeMismatchNamesTheTensorAndBothShapes(@TempDir Path tmp) throws IOException {
        Path ckpt = tmp.resolve("model");
        try (NDManager m = NDManager.newBaseManager(); Decoder d = Decoder.random(CONFIG, m, 3)) {
            HfCheckpoint.save(d, (Path) null, null, ckpt);
        }
        // make config.json claim a wider FFN than the stored tensors have
        String cfg = Files.readString(ckpt.resolve("config.json")).replace("\"intermediate_size\" : 24",
                "\"intermediate_size\" : 32");
        Files.writeString(ckpt.resolve("config.json"), cfg);
        try (NDManager m = NDManager.newBaseManager()) {
            IOException e = assertThrows(IOException.class, () -> HfCheckpoint.load(ckpt, m));
            assertTrue(e.getMessage().contains("model.layers.0.mlp.gate_proj.weight"), e.getMessage());
            assertTrue(e.getMessage().contains("[24, 16]") && e.getMessage().contains("[32, 16]"), e.getMessage());
        }
    }

    @Test
    void missingAndUnexpectedTensorsAreReported(@TempDir Path tmp) throws IOException {
        Path ckpt = tmp.resolve("model");
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        try (NDManager m = NDManager.newBaseManager(); Decoder d = Decoder.random(CONFIG, m, 3)) {
            HfCheckpoint.save(d, (Path) null, null, ckpt);
            d.hfParameters().forEach((k, p) -> tensors.put(k, p.getArray()));
            tensors.remove("model.norm.weight");
            new SafetensorsWriter().addAll(tensors).write(ckpt.resolve("model.safetensors"));
            IOException missing = assertThrows(IOException.class, () -> HfCheckpoint.load(ckpt, m));
            assertTrue(missing.getMessage().contains("missing tensor model.norm.weight"), missing.getMessage());

            tensors.put("model.norm.weight", d.finalNorm().weight().getArray());
            tensors.put("model.layers.2.mlp.up_proj.weight", d.layers().get(0).mlp().upProj().weight().getArray());
            new SafetensorsWriter().addAll(tensors).write(ckpt.resolve("model.safetensors"));
            IOException extra = assertThrows(IOException.class, () -> HfCheckpoint.load(ckpt, m));
            assertTrue(extra.getMessage().contains("unexpected tensor model.layers.2.mlp.up_proj.weight"),
                    extra.getMessage());
        }
    }

    @Test
    void bf16AndF16CheckpointsLoadAsWidenedFloats(@TempDir Path tmp) throws IOException {
        try (NDManager m = NDManager.newBaseManager(); Decoder d = Decoder.random(CONFIG, m, 8)) {
            for (Dtype t : List.of(Dtype.BF16, Dtype.F16)) {
                Path ckpt = tmp.resolve(t.name());
                HfCheckpoint.save(d, (Path) null, null, ckpt);
                Map<String, NDArray> tensors = new LinkedHashMap<>();
                d.hfParameters().forEach((k, p) -> tensors.put(k, p.getArray()));
                new SafetensorsWriter().floatType(t).metadata("format", "pt").addAll(tensors)
                        .write(ckpt.resolve("model.safetensors"));
                try (Decoder back = HfCheckpoint.load(ckpt, m)) {
                    float[] orig = d.layers().get(0).attention().qProj().weight().getArray().toFloatArray();
                    float[] got = back.layers().get(0).attention().qProj().weight().getArray().toFloatArray();
                    for (int i = 0; i < orig.length; i++) {
                        float want = t == Dtype.BF16 ? FloatFormats.bf16ToFloat(FloatFormats.floatToBf16(orig[i]))
                                : FloatFormats.halfToFloat(FloatFormats.floatToHalf(orig[i]));
                        assertEquals(want, got[i], 0f);
                    }
                }
            }
        }
    }

    @Test
    void failedSaveLeavesNothingBehind(@TempDir Path tmp) throws IOException {
        Path ckpt = tmp.resolve("model");
        try (NDManager m = NDManager.newBaseManager(); Decoder d = Decoder.random(CONFIG, m, 3)) {
            assertThrows(IOException.class,
                    () -> HfCheckpoint.save(d, tmp.resolve("no-such-tokenizer.json"), null, ckpt));
        }
        assertFalse(Files.exists(ckpt));
        try (var files = Files.list(tmp)) {
            assertEquals(0, files.count(), "no temporary directory left");
        }
    }
}

package dev.lethe.core.lora;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LoraTest {

    static final DecoderConfig CONFIG = DecoderConfig.llama(40, 32, 48, 2, 4, 2, 64);
    static final long[] IDS = {1, 7, 3, 22, 9, 9, 31, 5};

    static float[] logits(Decoder d, NDManager m) {
        return d.logits(TokenBatch.single(m, IDS)).toFloatArray();
    }

    /** Gives every B a random value, as training would. */
    static void randomiseB(Lora lora, long seed) {
        Random r = new Random(seed);
        for (LoraAdapter a : lora.adapters().values()) {
            float[] v = new float[(int) a.b().getArray().getShape().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * 0.1);
            }
            a.b().getArray().set(v);
        }
    }

    @Test
    void freshAdaptersChangeNothingAndFreezeTheBase() {
        try (NDManager m = NDManager.newBaseManager(); Decoder d = Decoder.random(CONFIG, m, 1)) {
            float[] before = logits(d, m);
            try (Lora lora = Lora.attach(d, LoraConfig.allLinear(4, 8, 0.0), 2)) {
                assertEquals(2 * 7, lora.adapters().size());
                assertArrayEquals(before, logits(d, m), 0f, "B = 0 must leave the outputs bit-identical");
                for (Parameter p : d.hfParameters().values()) {
                    assertFalse(p.requiresGradient(), p.getName() + " must be frozen");
                }
                assertEquals(4 * 7, lora.parameters().size());
                assertTrue(lora.parameters().keySet().iterator().next()
                        .startsWith("base_model.model.model.layers.0.self_attn.q_proj.lora_"));
            }
            assertArrayEquals(before, logits(d, m), 0f, "closing removes the adapters");
        }
    }

    @Test
    void mergedEqualsUnmergedAndUnmergeRestoresTheBase() {
        try (NDManager m = NDManager.newBaseManager(); Decoder d = Decoder.random(CONFIG, m, 3)) {
            float[] base = logits(d, m);
            float[] q0 = d.layers().get(0).attention().qProj().weight().getArray().toFloatArray();
            try (Lora lora = Lora.attach(d, new LoraConfig(4, 8, 0.0, java.util.List.of("q_proj", "v_proj", "down_proj"), -1), 4)) {
                randomiseB(lora, 5);
                float[] unmerged = logits(d, m);
                assertFalse(java.util.Arrays.equals(base, unmerged), "a non-zero B must change the outputs");
                lora.merge();
                assertArrayEquals(unmerged, logits(d, m), 1e-5f);
                lora.unmerge();
                assertArrayEquals(unmerged, logits(d, m), 1e-5f);
                assertArrayEquals(q0, d.layers().get(0).attention().qProj().weight().getArray().toFloatArray(), 1e-6f);
            }
        }
    }

    @Test
    void adaptersSaveOnTheirOwnAndLoadBack(@TempDir Path tmp) throws IOException {
        try (NDManager m = NDManager.newBaseManager(); Decoder d = Decoder.random(CONFIG, m, 6)) {
            float[] adapted;
            try (Lora lora = Lora.attach(d, LoraConfig.allLinear(2, 4, 0.1), 7)) {
                randomiseB(lora, 8);
                adapted = logits(d, m);
                lora.save(tmp);
            }
            assertTrue(Files.isRegularFile(tmp.resolve("adapter_model.safetensors")));
            String cfg = Files.readString(tmp.resolve("adapter_config.json"));
            assertTrue(cfg.contains("\"peft_type\" : \"LORA\"") && cfg.contains("\"r\" : 2"), cfg);
            try (Lora fresh = Lora.attach(d, LoraConfig.allLinear(2, 4, 0.1), 99)) {
                fresh.load(tmp);
                assertArrayEquals(adapted, logits(d, m), 0f);
                Map<String, Parameter> p = fresh.parameters();
                assertEquals(2 * 2 * 7, p.size());
            }
        }
    }
}

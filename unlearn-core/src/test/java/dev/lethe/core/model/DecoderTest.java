package dev.lethe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.lethe.core.lm.DecodingSession;
import dev.lethe.core.lm.TokenBatch;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecoderTest {

    /** GQA (4 query heads over 2 kv heads), q/k/v biases (Qwen2 layout), untied head, large-ish weights. */
    static DecoderConfig gqaConfig() {
        return new DecoderConfig("qwen2", 37, 32, 48, 2, 4, 2, 1e-6, 500.0, 64, false, true, 1, 2, 2);
    }

    static Map<String, float[]> weights(Decoder d) {
        Map<String, float[]> out = new HashMap<>();
        for (Map.Entry<String, Parameter> e : d.hfParameters().entrySet()) {
            out.put(e.getKey(), e.getValue().getArray().toFloatArray());
        }
        return out;
    }

    @Test
    void forwardMatchesNaiveReferenceWithRopeAndGqa() {
        DecoderConfig c = gqaConfig();
        try (NDManager m = NDManager.newBaseManager();
             // std 0.3 so attention is far from uniform and RoPE errors would show
             Decoder d = new Decoder(c, m, new InitWeights(7, 0.3, c.numHiddenLayers()))) {
            int[] ids = {1, 5, 9, 33, 2, 17, 4, 4, 30, 11, 0, 36};
            long[] lids = new long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                lids[i] = ids[i];
            }
            NDArray logits = d.logits(TokenBatch.single(m, lids));
            assertEquals(new Shape(1, ids.length, c.vocabSize()), logits.getShape());
            float[] got = logits.toFloatArray();
            double[][] want = new NaiveLlama(c, weights(d)).logits(ids);
            double maxErr = 0;
            for (int t = 0; t < ids.length; t++) {
                for (int v = 0; v < c.vocabSize(); v++) {
                    maxErr = Math.max(maxErr, Math.abs(got[t * c.vocabSize() + v] - want[t][v]));
                }
            }
            assertTrue(maxErr < 1e-4, "max |Δ| = " + maxErr);
        }
    }

    @Test
    void tiedLlamaWithoutGqaMatchesReference() {
        DecoderConfig c = new DecoderConfig("llama", 23, 16, 40, 3, 2, 2, 1e-5, 10000.0, 32, true, false, 1, 2, 2);
        try (NDManager m = NDManager.newBaseManager();
             Decoder d = new Decoder(c, m, new InitWeights(3, 0.4, c.numHiddenLayers()))) {
            assertTrue(!d.hfParameters().containsKey("lm_head.weight"));
            int[] ids = {1, 3, 22, 7, 7, 7, 12, 0};
            long[] lids = java.util.Arrays.stream(ids).asLongStream().toArray();
            float[] got = d.logits(TokenBatch.single(m, lids)).toFloatArray();
            double[][] want = new NaiveLlama(c, weights(d)).logits(ids);
            for (int t = 0; t < ids.length; t++) {
                for (int v = 0; v < c.vocabSize(); v++) {
                    assertEquals(want[t][v], got[t * c.vocabSize() + v], 1e-4, "t=" + t + " v=" + v);
                }
            }
        }
    }

    @Test
    void rightPaddingDoesNotChangeRealTokenLogits() {
        DecoderConfig c = gqaConfig();
        try (NDManager m = NDManager.newBaseManager();
             Decoder d = new Decoder(c, m, new InitWeights(11, 0.3, c.numHiddenLayers()))) {
            long[] a = {1, 4, 8, 15, 16, 23};
            long[] b = {1, 9, 2};
            float[] alone = d.logits(TokenBatch.single(m, b)).toFloatArray();
            TokenBatch batch = TokenBatch.of(m, new long[][] {a, {1, 9, 2, 2, 2, 2}},
                    new long[][] {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 0, 0, 0}}, null);
            float[] padded = d.logits(batch).get("1, :3, :").toFloatArray();
            assertArrayEquals(alone, padded, 1e-5f);
        }
    }

    @Test
    void cachedDecodingEqualsRecomputationWithLeftPadding() {
        DecoderConfig c = gqaConfig();
        try (NDManager m = NDManager.newBaseManager();
             Decoder d = new Decoder(c, m, new InitWeights(5, 0.3, c.numHiddenLayers()))) {
            Random r = new Random(1);
            long[][] prompts = {{1, 5, 6, 7, 8}, {0, 0, 1, 30, 31}}; // row 1 is left-padded
            long[][] mask = {{1, 1, 1, 1, 1}, {0, 0, 1, 1, 1}};
            long[][] seqs = {prompts[0].clone(), {1, 30, 31}};
            try (DecodingSession s = d.startDecoding(TokenBatch.of(m, prompts, mask, null))) {
                for (int step = 0; step < 6; step++) {
                    float[] cached = s.nextLogits().toFloatArray();
                    long[] next = new long[2];
                    for (int row = 0; row < 2; row++) {
                        float[] full = d.logits(TokenBatch.single(m, seqs[row])).get("0, -1, :").toFloatArray();
                        float[] mine = java.util.Arrays.copyOfRange(cached, row * c.vocabSize(), (row + 1) * c.vocabSize());
                        assertArrayEquals(full, mine, 2e-5f, "row " + row + " step " + step);
                        next[row] = r.nextInt(c.vocabSize());
                        seqs[row] = append(seqs[row], next[row]);
                    }
                    s.append(m.create(next));
                }
            }
        }
    }

    private static long[] append(long[] a, long x) {
        long[] b = java.util.Arrays.copyOf(a, a.length + 1);
        b[a.length] = x;
        return b;
    }
}

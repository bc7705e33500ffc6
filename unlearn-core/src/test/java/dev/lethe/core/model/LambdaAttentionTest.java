package dev.lethe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.longctx.LambdaMask;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LM-Infinite inside the decoder: spec §1.4 goldens 2–4. */
class LambdaAttentionTest {

    /** GQA with biases and only 8 trained positions, so the cache test runs far past L. */
    private static DecoderConfig config(int maxPositions) {
        return new DecoderConfig("qwen2", 37, 32, 48, 2, 4, 2, 1e-6, 500.0, maxPositions, false, true, 1, 2, 2);
    }

    private static long[] ids(int n, long seed) {
        Random r = new Random(seed);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextInt(37);
        }
        return out;
    }

    private static double maxDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }

    @Test
    void shortSequenceEqualsCausalAttention() {
        DecoderConfig c = config(64);
        try (NDManager m = NDManager.newBaseManager();
             Decoder causal = new Decoder(c, m, new InitWeights(7, 0.3, c.numHiddenLayers()));
             Decoder lambda = new Decoder(c, m, new InitWeights(7, 0.3, c.numHiddenLayers()), LambdaMask.of(2, 12, 64))) {
            long[] x = ids(12, 1);
            double d = maxDiff(causal.logits(TokenBatch.single(m, x)).toFloatArray(),
                    lambda.logits(TokenBatch.single(m, x)).toFloatArray());
            assertTrue(d <= 1e-6, "max |Δ| = " + d);
            // At T = 13 the one far pair (12, 0) is read at d' = min(12, 12) = its true distance, so it
            // still equals causal (through the stationary path); at T = 16 middle keys are masked.
            long[] y = ids(13, 1);
            assertTrue(maxDiff(causal.logits(TokenBatch.single(m, y)).toFloatArray(),
                    lambda.logits(TokenBatch.single(m, y)).toFloatArray()) < 1e-5);
            long[] z = ids(16, 1);
            assertTrue(maxDiff(causal.logits(TokenBatch.single(m, z)).toFloatArray(),
                    lambda.logits(TokenBatch.single(m, z)).toFloatArray()) > 1e-4);
        }
    }

    @Test
    void matchesReferenceFormulationWithStationaryQueryAndRawKeys() {
        DecoderConfig c = config(64);
        // d = n_local (reference default) and d > n_local, where d' = min(d, i) varies per query row
        for (int[] p : new int[][] {{2, 3, 3}, {3, 4, 6}}) {
            try (NDManager m = NDManager.newBaseManager();
                 Decoder d = new Decoder(c, m, new InitWeights(7, 0.3, c.numHiddenLayers()),
                         new LambdaMask(p[0], p[1], p[2], 64, false))) {
                long[] x = ids(14, 2);
                int[] xi = java.util.Arrays.stream(x).mapToInt(v -> (int) v).toArray();
                float[] got = d.logits(TokenBatch.single(m, x)).toFloatArray();
                double[][] want = new NaiveLlama(c, DecoderTest.weights(d), p).logits(xi);
                double[][] causal = new NaiveLlama(c, DecoderTest.weights(d)).logits(xi);
                double err = 0;
                double gap = 0;
                for (int t = 0; t < xi.length; t++) {
                    for (int v = 0; v < c.vocabSize(); v++) {
                        err = Math.max(err, Math.abs(got[t * c.vocabSize() + v] - want[t][v]));
                        gap = Math.max(gap, Math.abs(causal[t][v] - want[t][v]));
                    }
                }
                assertTrue(err < 1e-4, "Λ vs reference max |Δ| = " + err);
                assertTrue(gap > 1e-3, "reference Λ must differ from causal, gap " + gap);
            }
        }
    }

    @Test
    void tokenByTokenDecodingEqualsFullLambdaForward() {
        DecoderConfig c = config(8); // trained on 8 positions; we run 20
        for (boolean evict : new boolean[] {false, true}) {
            LambdaMask policy = new LambdaMask(2, 4, 4, 32, evict);
            try (NDManager m = NDManager.newBaseManager();
                 Decoder d = new Decoder(c, m, new InitWeights(5, 0.3, c.numHiddenLayers()), policy)) {
                long[] x = ids(20, 3);
                float[] full = d.logits(TokenBatch.single(m, x)).toFloatArray();
                int v = c.vocabSize();
                try (KvCache cache = new KvCache(m, c.numHiddenLayers(), policy.cacheEviction())) {
                    int prefill = 7;
                    NDArray first = m.create(java.util.Arrays.copyOf(x, prefill), new ai.djl.ndarray.types.Shape(1, prefill));
                    float[] got = d.forward(Decoder.Input.ids(first).optCache(cache)).logits().toFloatArray();
                    double err = 0;
                    for (int k = 0; k < prefill * v; k++) {
                        err = Math.max(err, Math.abs(got[k] - full[k]));
                    }
                    for (int t = prefill; t < x.length; t++) {
                        try (NDManager step = m.newSubManager()) {
                            NDArray tok = step.create(new long[] {x[t]}, new ai.djl.ndarray.types.Shape(1, 1));
                            float[] row = d.forward(Decoder.Input.ids(tok).optCache(cache)).logits().toFloatArray();
                            for (int k = 0; k < v; k++) {
                                err = Math.max(err, Math.abs(row[k] - full[t * v + k]));
                            }
                        }
                        assertEquals(t + 1, cache.length());
                        assertEquals(evict ? Math.min(t + 1, 5) : t + 1, cache.stored(), "stored keys at t=" + t);
                        assertEquals(cache.stored(), cache.keys(0).getShape().get(2));
                    }
                    assertTrue(err < 1e-4, "evict=" + evict + " max |Δ| = " + err);
                }
            }
        }
    }
}

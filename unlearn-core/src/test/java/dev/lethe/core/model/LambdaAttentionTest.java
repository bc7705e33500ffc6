package dev.lethe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.longctx.LambdaMask;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LM-Infinite inside the decoder: spec §1.4 goldens 2–5, top-k middle tokens, left-padded batches. */
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

    /** Distinct ids: layer-0 raw keys of repeated tokens tie exactly, and float vs double would break such ties apart. */
    private static long[] distinctIds(int n, long seed) {
        List<Long> all = new ArrayList<>();
        for (long v = 0; v < 37; v++) {
            all.add(v);
        }
        Collections.shuffle(all, new Random(seed));
        return all.subList(0, n).stream().mapToLong(Long::longValue).toArray();
    }

    private static LambdaMask topK(int k, int from, int to, int t) {
        return LambdaMask.builder().setGlobal(2).setLocal(4).setMaxPositions(32).optTopK(k, from, to, t).build();
    }

    private static Decoder decoder(DecoderConfig c, NDManager m, dev.lethe.core.model.MaskPolicy p) {
        return new Decoder(c, m, new InitWeights(11, 0.3, c.numHiddenLayers()), p);
    }

    @Test
    void topKZeroOrOutsideItsLayersIsPlainLambda() {
        DecoderConfig c = config(8);
        long[] x = ids(20, 4);
        try (NDManager m = NDManager.newBaseManager();
             Decoder plain = decoder(c, m, new LambdaMask(2, 4, 4, 32, false));
             Decoder zero = decoder(c, m, topK(0, 0, 1000, 4));
             Decoder noLayer = decoder(c, m, topK(3, 2, 1000, 4)); // the model has 2 layers
             Decoder on = decoder(c, m, topK(3, 0, 1000, 4))) {
            assertNull(((LambdaMask) zero.maskPolicy()).topK(), "k = 0 is no top-k");
            float[] want = plain.logits(TokenBatch.single(m, x)).toFloatArray();
            assertArrayEquals(want, zero.logits(TokenBatch.single(m, x)).toFloatArray());
            assertArrayEquals(want, noLayer.logits(TokenBatch.single(m, x)).toFloatArray());
            // top-k touches only the last row, and does change it
            float[] got = on.logits(TokenBatch.single(m, x)).toFloatArray();
            int v = c.vocabSize();
            assertArrayEquals(Arrays.copyOf(want, 19 * v), Arrays.copyOf(got, 19 * v));
            assertTrue(maxDiff(Arrays.copyOfRange(want, 19 * v, 20 * v), Arrays.copyOfRange(got, 19 * v, 20 * v)) > 1e-4);
        }
    }

    @Test
    void topKMatchesNaiveReference() {
        DecoderConfig c = config(8);
        long[] x = distinctIds(20, 5);
        int[] xi = Arrays.stream(x).mapToInt(v -> (int) v).toArray();
        // last row i = 19 has 14 middle keys j ∈ [2, 15]: k = 3 selects, k = 20 ≥ 14 opens them all
        for (int[] p : new int[][] {{3, 0, 1000, 4}, {20, 0, 1000, 4}, {2, 1, 2, 6}, {5, 0, 1, 3}}) {
            try (NDManager m = NDManager.newBaseManager(); Decoder d = decoder(c, m, topK(p[0], p[1], p[2], p[3]))) {
                float[] got = d.logits(TokenBatch.single(m, x)).toFloatArray();
                double[][] want = new NaiveLlama(c, DecoderTest.weights(d), new int[] {2, 4, 4},
                        new int[] {p[0], p[1], p[2], p[3], 19}).logits(xi);
                double[][] plain = new NaiveLlama(c, DecoderTest.weights(d), new int[] {2, 4, 4}).logits(xi);
                double err = 0;
                double gap = 0;
                for (int t = 0; t < xi.length; t++) {
                    for (int v = 0; v < c.vocabSize(); v++) {
                        err = Math.max(err, Math.abs(got[t * c.vocabSize() + v] - want[t][v]));
                        gap = Math.max(gap, Math.abs(plain[t][v] - want[t][v]));
                    }
                }
                assertTrue(err < 1e-4, Arrays.toString(p) + ": top-k vs reference max |Δ| = " + err);
                assertTrue(gap > 1e-3, Arrays.toString(p) + ": top-k must change the last row, gap " + gap);
            }
        }
    }

    @Test
    void topKDecodingWithFullCacheMatchesReference() {
        DecoderConfig c = config(8);
        long[] x = distinctIds(20, 6);
        int[] xi = Arrays.stream(x).mapToInt(v -> (int) v).toArray();
        int prefill = 7;
        int v = c.vocabSize();
        try (NDManager m = NDManager.newBaseManager(); Decoder d = decoder(c, m, topK(3, 1, 1000, 4));
             KvCache cache = new KvCache(m, c.numHiddenLayers(), d.maskPolicy().cacheEviction())) {
            // every pass's last row gets top-k: the prefill's last row, then each decoded token
            double[][] want = new NaiveLlama(c, DecoderTest.weights(d), new int[] {2, 4, 4},
                    new int[] {3, 1, 1000, 4, prefill - 1}).logits(xi);
            NDArray first = m.create(Arrays.copyOf(x, prefill), new ai.djl.ndarray.types.Shape(1, prefill));
            float[] got = d.forward(Decoder.Input.ids(first).optCache(cache)).logits().toFloatArray();
            double err = 0;
            for (int t = 0; t < prefill; t++) {
                for (int k = 0; k < v; k++) {
                    err = Math.max(err, Math.abs(got[t * v + k] - want[t][k]));
                }
            }
            for (int t = prefill; t < x.length; t++) {
                try (NDManager step = m.newSubManager()) {
                    NDArray tok = step.create(new long[] {x[t]}, new ai.djl.ndarray.types.Shape(1, 1));
                    float[] row = d.forward(Decoder.Input.ids(tok).optCache(cache)).logits().toFloatArray();
                    for (int k = 0; k < v; k++) {
                        err = Math.max(err, Math.abs(row[k] - want[t][k]));
                    }
                }
            }
            assertEquals(x.length, cache.stored(), "top-k keeps the full cache");
            assertTrue(err < 1e-4, "max |Δ| = " + err);
        }
    }

    @Test
    void topKRefusesEviction() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LambdaMask.builder()
                .setGlobal(2).setLocal(4).setMaxPositions(32).optEviction(true).optTopK(5, 4, 1000, 4).build());
        assertTrue(e.getMessage().contains("full KV cache"), e.getMessage());
    }

    /** Rows of lengths 20, 13, 6 and 1, left-padded to 20. */
    private static long[][] paddedRows() {
        return new long[][] {ids(20, 7), ids(13, 8), ids(6, 9), ids(1, 10)};
    }

    private static TokenBatch leftPadded(NDManager m, long[][] rows) {
        int t = Arrays.stream(rows).mapToInt(r -> r.length).max().orElseThrow();
        long[][] ids = new long[rows.length][t];
        long[][] mask = new long[rows.length][t];
        for (int r = 0; r < rows.length; r++) {
            int pad = t - rows[r].length;
            System.arraycopy(rows[r], 0, ids[r], pad, rows[r].length);
            Arrays.fill(mask[r], pad, t, 1);
            Arrays.fill(ids[r], 0, pad, 36); // a real id: padding must be masked, not harmless
        }
        return TokenBatch.of(m, ids, mask, null);
    }

    @Test
    void leftPaddedBatchEqualsEachRowAlone() {
        DecoderConfig c = config(8);
        long[][] rows = paddedRows();
        int v = c.vocabSize();
        for (LambdaMask policy : new LambdaMask[] {new LambdaMask(2, 4, 4, 32, false), new LambdaMask(2, 4, 6, 32, false),
                topK(3, 0, 1000, 4)}) {
            try (NDManager m = NDManager.newBaseManager(); Decoder d = decoder(c, m, policy)) {
                float[] batch = d.logits(leftPadded(m, rows)).toFloatArray();
                double err = 0;
                for (int r = 0; r < rows.length; r++) {
                    float[] alone = d.logits(TokenBatch.single(m, rows[r])).toFloatArray();
                    int pad = 20 - rows[r].length;
                    float[] mine = Arrays.copyOfRange(batch, (r * 20 + pad) * v, (r + 1) * 20 * v);
                    err = Math.max(err, maxDiff(alone, mine));
                }
                assertTrue(err < 1e-5, policy + ": batched vs alone max |Δ| = " + err);
            }
        }
    }

    @Test
    void leftPaddedDecodingEqualsEachRowAlone() {
        DecoderConfig c = config(8);
        long[][] rows = paddedRows();
        long[] next = ids(6, 11);
        for (LambdaMask policy : new LambdaMask[] {new LambdaMask(2, 4, 4, 32, false), topK(3, 0, 1000, 4)}) {
            try (NDManager m = NDManager.newBaseManager(); Decoder d = decoder(c, m, policy)) {
                List<float[]> alone = new ArrayList<>();
                for (long[] row : rows) {
                    try (dev.lethe.core.lm.DecodingSession s = d.startDecoding(TokenBatch.single(m, row))) {
                        alone.add(s.nextLogits().toFloatArray());
                        for (long tok : next) {
                            try (NDManager step = m.newSubManager()) {
                                s.append(step.create(new long[] {tok}));
                                alone.add(s.nextLogits().toFloatArray());
                            }
                        }
                    }
                }
                double err = 0;
                try (dev.lethe.core.lm.DecodingSession s = d.startDecoding(leftPadded(m, rows))) {
                    for (int step = 0; step <= next.length; step++) {
                        if (step > 0) {
                            try (NDManager sm = m.newSubManager()) {
                                long[] toks = new long[rows.length];
                                Arrays.fill(toks, next[step - 1]);
                                s.append(sm.create(toks));
                            }
                        }
                        float[] all = s.nextLogits().toFloatArray();
                        int v = c.vocabSize();
                        for (int r = 0; r < rows.length; r++) {
                            err = Math.max(err, maxDiff(alone.get(r * (next.length + 1) + step),
                                    Arrays.copyOfRange(all, r * v, (r + 1) * v)));
                        }
                    }
                }
                assertTrue(err < 1e-5, policy + ": batched vs alone decoding max |Δ| = " + err);
            }
        }
    }

    @Test
    void sinkWindowCacheRejectsPaddedRowsClearly() {
        DecoderConfig c = config(8);
        try (NDManager m = NDManager.newBaseManager(); Decoder d = decoder(c, m, new LambdaMask(2, 4, 4, 32, true))) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> d.startDecoding(leftPadded(m, paddedRows())).close());
            assertTrue(e.getMessage().contains("unpadded"), e.getMessage());
        }
    }

    @Test
    void chunkedPrefillThroughTheEvictingCacheEqualsFullLambdaForward() {
        // chunks of n_local tokens keep prefill memory O(n_local·(n_global + n_local)); every chunk after the
        // first reads a cache that already dropped middle keys
        DecoderConfig c = config(8);
        LambdaMask policy = new LambdaMask(2, 4, 4, 32, true);
        int v = c.vocabSize();
        for (int chunk : new int[] {3, 4, 6}) {
            try (NDManager m = NDManager.newBaseManager(); Decoder d = decoder(c, m, policy);
                 KvCache cache = new KvCache(m, c.numHiddenLayers(), policy.cacheEviction())) {
                long[] x = ids(22, 12);
                float[] full = d.logits(TokenBatch.single(m, x)).toFloatArray();
                double err = 0;
                for (int start = 0; start < x.length; start += chunk) {
                    int len = Math.min(chunk, x.length - start);
                    try (NDManager step = m.newSubManager()) {
                        NDArray part = step.create(Arrays.copyOfRange(x, start, start + len),
                                new ai.djl.ndarray.types.Shape(1, len));
                        float[] got = d.forward(Decoder.Input.ids(part).optCache(cache)).logits().toFloatArray();
                        err = Math.max(err, maxDiff(Arrays.copyOfRange(full, start * v, (start + len) * v), got));
                    }
                    assertTrue(cache.stored() <= 2 + 4 - 1, "stored " + cache.stored());
                }
                assertTrue(err < 1e-4, "chunk " + chunk + ": max |Δ| = " + err);
            }
        }
    }
}

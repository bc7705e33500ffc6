package dev.lethe.core.kv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.lethe.core.lm.DecodingSession;
import dev.lethe.core.lm.Generator;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.longctx.LambdaMask;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.model.DecoderLayer;
import dev.lethe.core.model.InitWeights;
import dev.lethe.core.model.KvCache;
import dev.lethe.core.model.KvCachePolicy;
import dev.lethe.core.model.MaskPolicy;
import dev.lethe.core.model.Rope;
import dev.lethe.core.model.SinkWindow;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SnapKV / UNComp as KV-cache policies of the decoder's decoding path (spec §2.4, §2.7 tests 5–6). */
class KvCachePolicyTest {

    private static final int VOCAB = 37;

    /** GQA (4 query heads over 2 kv heads) with q/k/v biases; head dim 8. */
    private static DecoderConfig gqa() {
        return new DecoderConfig("qwen2", VOCAB, 32, 48, 2, 4, 2, 1e-6, 500.0, 128, false, true, 1, 2, 2);
    }

    /** Plain multi-head attention, no biases. */
    private static DecoderConfig mha() {
        return new DecoderConfig("llama", VOCAB, 32, 48, 2, 4, 4, 1e-6, 500.0, 128, false, false, 1, 2, 2);
    }

    /** std 0.3 so attention is peaked and a dropped key changes the logits visibly. */
    private static Decoder model(DecoderConfig c, NDManager m, long seed) {
        return new Decoder(c, m, new InitWeights(seed, 0.3, c.numHiddenLayers()));
    }

    private static long[] ids(int n, long seed) {
        Random r = new Random(seed);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = 3 + r.nextInt(VOCAB - 3);
        }
        return out;
    }

    /** Heads 1 and 2 high-entropy in layer 0, heads 0 and 3 in layer 1. */
    private static final int[][] HIGH = {{1, 2}, {0, 3}};

    /** Left-padded batch of {@code rows}. */
    private static TokenBatch batch(NDManager m, long[]... rows) {
        int len = Arrays.stream(rows).mapToInt(r -> r.length).max().orElseThrow();
        long[][] ids = new long[rows.length][len];
        long[][] mask = new long[rows.length][len];
        for (int i = 0; i < rows.length; i++) {
            int off = len - rows[i].length;
            System.arraycopy(rows[i], 0, ids[i], off, rows[i].length);
            Arrays.fill(mask[i], off, len, 1);
        }
        return TokenBatch.of(m, ids, mask, null);
    }

    /** Greedy decoding through a session, ignoring EOS: the next-token logits {@code [B·V]} of every step. */
    private static List<float[]> greedy(Decoder d, KvCachePolicy policy, int steps, long[]... rows) {
        List<float[]> out = new ArrayList<>();
        try (NDManager m = d.manager().newSubManager();
             DecodingSession s = d.startDecoding(batch(m, rows), policy)) {
            for (int step = 0; step < steps; step++) {
                float[] l = s.nextLogits().toFloatArray();
                out.add(l);
                long[] next = new long[rows.length];
                for (int r = 0; r < rows.length; r++) {
                    next[r] = argmax(l, r * VOCAB, VOCAB);
                }
                try (NDManager sm = m.newSubManager()) {
                    s.append(sm.create(next));
                }
            }
        }
        return out;
    }

    private static int argmax(float[] a, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (a[off + i] > a[off + best]) {
                best = i;
            }
        }
        return best;
    }

    private static float[] row(float[] logits, int r) {
        return Arrays.copyOfRange(logits, r * VOCAB, (r + 1) * VOCAB);
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
    void budgetsCoveringThePromptGiveFullKvGenerationsExactly() {
        for (DecoderConfig c : List.of(gqa(), mha())) {
            try (NDManager m = NDManager.newBaseManager(); Decoder d = model(c, m, 5)) {
                long[][] prompts = {ids(20, 1), ids(13, 2), ids(20, 3), ids(6, 4)};
                List<KvCachePolicy> covering = List.of(
                        SnapKvPolicy.of(KvCapacity.ofTokens(20)),                       // C = N: keep all
                        new UncompPolicy(HIGH, KvCapacity.ofTokens(30), true, 8, 7),    // (4C/3, 2C/3) ≥ N
                        UncompPolicy.of(HIGH, KvCapacity.ofFraction(1.0)));             // (N, N/2): see below
                List<float[]> full = greedy(d, KvCachePolicy.FULL, 6, prompts);
                for (KvCachePolicy p : covering.subList(0, 2)) {
                    List<float[]> got = greedy(d, p, 6, prompts);
                    for (int s = 0; s < full.size(); s++) {
                        assertArrayEquals(full.get(s), got.get(s), p + ", step " + s);
                    }
                }
                // The reference rule halves the low group even for short prompts (q ≤ B_hi → (q, q/2)), so it
                // is the identity only where the window floor covers the prompt: the 6-token row.
                List<float[]> ref = greedy(d, covering.get(2), 6, prompts[3]);
                List<float[]> alone = greedy(d, KvCachePolicy.FULL, 6, prompts[3]);
                for (int s = 0; s < ref.size(); s++) {
                    assertArrayEquals(alone.get(s), ref.get(s));
                }
                List<float[]> halved = greedy(d, covering.get(2), 6, prompts);
                assertTrue(maxDiff(full.get(5), halved.get(5)) > 1e-3, "halved low group changes the logits");

                // the Generator over the policy view: same greedy tokens as over the plain decoder
                Generator g = Generator.builder().optMaxNewTokens(8).optBatchSize(4).build();
                List<long[]> ps = Arrays.asList(prompts);
                List<Generator.Output> want = g.generate(d, ps);
                List<Generator.Output> got = g.generate(new KvPolicyModel(d, covering.get(1)), ps);
                for (int i = 0; i < ps.size(); i++) {
                    assertArrayEquals(want.get(i).tokens(), got.get(i).tokens());
                    assertEquals(want.get(i).stoppedAtEos(), got.get(i).stoppedAtEos());
                }
            }
        }
    }

    @Test
    void leftPaddedRowsSelectAmongTheirRealTokensOnly() {
        try (NDManager m = NDManager.newBaseManager(); Decoder d = model(gqa(), m, 9)) {
            long[] a = ids(30, 5);
            long[] b = ids(12, 6);
            KvCachePolicy snap = SnapKvPolicy.of(KvCapacity.ofTokens(14));
            // row a is compressed to 14 keys per head; row b keeps its 12 real tokens and drops its 18 pads
            List<float[]> both = greedy(d, snap, 5, a, b);
            List<float[]> aAlone = greedy(d, snap, 5, a);
            List<float[]> bFull = greedy(d, KvCachePolicy.FULL, 5, b);
            List<float[]> aFull = greedy(d, KvCachePolicy.FULL, 5, a);
            for (int s = 0; s < 5; s++) {
                assertTrue(maxDiff(row(both.get(s), 0), aAlone.get(s)) < 1e-5, "row a, step " + s);
                assertTrue(maxDiff(row(both.get(s), 1), bFull.get(s)) < 1e-5, "row b, step " + s);
            }
            assertTrue(maxDiff(aAlone.get(4), aFull.get(4)) > 1e-3, "compression of row a matters");
        }
    }

    /** Prefills {@code prompt} into a fresh cache observing the window, then applies {@code policy}. */
    private static KvCache prefill(Decoder d, NDManager m, KvCachePolicy policy, long[] prompt, List<float[]> logits) {
        KvCache cache = new KvCache(m, d.layers().size());
        cache.observeQueries(policy.observationWindow());
        NDArray l = d.forward(Decoder.Input.ids(m.create(prompt, new Shape(1, prompt.length))).optCache(cache)).logits();
        logits.add(l.get(":, -1, :").toFloatArray());
        try (NDManager scratch = m.newSubManager()) {
            policy.afterPrefill(cache, scratch);
        }
        cache.observeQueries(0);
        return cache;
    }

    @Test
    void compressedCacheHoldsTheGroupBudgets() {
        try (NDManager m = NDManager.newBaseManager(); Decoder d = model(gqa(), m, 3)) {
            int n = 40;
            UncompPolicy p = UncompPolicy.of(HIGH, KvCapacity.ofTokens(12)); // B_hi = 18, B_lo = 9
            assertEquals(new GroupBudget(18, 9), p.groupBudget(n));
            try (KvCache cache = prefill(d, m, p, ids(n, 7), new ArrayList<>())) {
                for (int l = 0; l < 2; l++) {
                    int[][] kept = cache.kept(l)[0];
                    long retained = 0;
                    for (int h = 0; h < 4; h++) {
                        boolean high = Arrays.binarySearch(HIGH[l], h) >= 0;
                        assertEquals(high ? 18 : 9, kept[h].length, "layer " + l + " head " + h);
                        for (int i = 0; i < 8; i++) {
                            assertEquals(n - 8 + i, kept[h][kept[h].length - 8 + i], "the window is kept");
                        }
                        retained += kept[h].length;
                    }
                    assertEquals(p.groupBudget(n).retained(2, 2, n), retained);
                    assertEquals(54, retained);
                    assertEquals(54.0 / 160, p.groupBudget(n).ratio(2, 2, n), 1e-12);
                    // one key head per query head, padded to the largest budget
                    assertEquals(new Shape(1, 4, 18, 8), cache.keys(l).getShape());
                    assertEquals(new Shape(1, 4, 18, 8), cache.values(l).getShape());
                }
                assertEquals(n, cache.length());
            }
            // the window is a floor: C = 4 gives (6, 3), raised to 8 each
            UncompPolicy tiny = UncompPolicy.of(HIGH, KvCapacity.ofTokens(4));
            try (KvCache cache = prefill(d, m, tiny, ids(n, 7), new ArrayList<>())) {
                for (int[] kept : cache.kept(0)[0]) {
                    assertEquals(8, kept.length);
                }
                assertEquals(new Shape(1, 4, 8, 8), cache.keys(0).getShape());
            }
        }
    }

    @Test
    void selectionFollowsTheWindowAttentionOfTheObservedQueries() {
        try (NDManager m = NDManager.newBaseManager(); Decoder d = model(gqa(), m, 4)) {
            DecoderConfig c = d.config();
            long[] prompt = ids(36, 8);
            int n = prompt.length;
            int hd = c.headDim();
            // the same prefill, once without compression, to read queries and keys
            KvCache plain = new KvCache(m, 2);
            plain.observeQueries(8);
            d.forward(Decoder.Input.ids(m.create(prompt, new Shape(1, n))).optCache(plain).optLogits(false));
            float[] q0 = plain.queries(0).toFloatArray(); // [1, 4, 8, hd]
            assertEquals(new Shape(1, 4, 8, hd), plain.queries(0).getShape());
            // the last observed query of head 0, layer 0, recomputed from the weights in double precision
            double[] want = layer0Query(d, prompt[n - 1], n - 1, 0);
            for (int e = 0; e < hd; e++) {
                assertEquals(want[e], q0[7 * hd + e], 1e-5, "query element " + e);
            }
            UncompPolicy p = UncompPolicy.of(HIGH, KvCapacity.ofTokens(10)); // (15, 8)
            try (KvCache cache = prefill(d, m, p, prompt, new ArrayList<>())) {
                for (int l = 0; l < 2; l++) {
                    float[] q = plain.queries(l).toFloatArray();
                    float[] k = plain.keys(l).toFloatArray(); // [1, 2, n, hd]
                    for (int h = 0; h < 4; h++) {
                        int kvh = h / 2;
                        double[][] att = new double[8][n];
                        for (int i = 0; i < 8; i++) {
                            int pos = n - 8 + i;
                            double max = Double.NEGATIVE_INFINITY;
                            for (int j = 0; j <= pos; j++) {
                                double s = 0;
                                for (int e = 0; e < hd; e++) {
                                    s += q[(h * 8 + i) * hd + e] * k[(kvh * n + j) * hd + e];
                                }
                                att[i][j] = s;
                                max = Math.max(max, s);
                            }
                            double z = 0;
                            for (int j = 0; j <= pos; j++) {
                                att[i][j] = Math.exp(att[i][j] - max);
                                z += att[i][j];
                            }
                            for (int j = 0; j <= pos; j++) {
                                att[i][j] /= z;
                            }
                        }
                        int[] expected = SnapKvSelector.select(att, p.budget(l, h, n), 7);
                        assertArrayEquals(expected, cache.kept(l)[0][h], "layer " + l + " head " + h);
                    }
                }
            }
            plain.close();
        }
    }

    /** RoPE(q_proj(rmsnorm(embedding))) / √hd of one token at {@code pos}, query head {@code head}, layer 0. */
    private static double[] layer0Query(Decoder d, long token, int pos, int head) {
        DecoderConfig c = d.config();
        int dim = c.hiddenSize();
        int hd = c.headDim();
        float[] emb = d.embeddingWeight().getArray().toFloatArray();
        float[] g = d.layers().get(0).inputNorm().weight().getArray().toFloatArray();
        float[] wq = d.layers().get(0).attention().qProj().weight().getArray().toFloatArray();
        Parameter bias = d.layers().get(0).attention().qProj().bias();
        float[] bq = bias == null ? new float[c.numAttentionHeads() * hd] : bias.getArray().toFloatArray();
        double[] x = new double[dim];
        double ms = 0;
        for (int j = 0; j < dim; j++) {
            x[j] = emb[(int) token * dim + j];
            ms += x[j] * x[j];
        }
        double inv = 1 / Math.sqrt(ms / dim + c.rmsNormEps());
        double[] q = new double[hd];
        for (int e = 0; e < hd; e++) {
            int o = head * hd + e;
            double s = bq[o];
            for (int j = 0; j < dim; j++) {
                s += x[j] * inv * g[j] * wq[o * dim + j];
            }
            q[e] = s;
        }
        int half = hd / 2;
        double[] out = new double[hd];
        for (int e = 0; e < hd; e++) {
            double freq = pos / Math.pow(c.ropeTheta(), 2.0 * (e % half) / hd);
            double rot = e < half ? -q[e + half] : q[e - half];
            out[e] = (q[e] * Math.cos(freq) + rot * Math.sin(freq)) / Math.sqrt(hd);
        }
        return out;
    }

    /**
     * The strong check: decoding with a compressed cache equals a full forward over prompt + generated
     * tokens in which, per layer and query head, the generated tokens' queries cannot see exactly the
     * evicted prompt keys (the prompt's own rows keep full causal attention, as at prefill).
     */
    @Test
    void decodingMatchesFullForwardWithEvictedKeysMasked() {
        for (DecoderConfig c : List.of(gqa(), mha())) {
            try (NDManager m = NDManager.newBaseManager(); Decoder d = model(c, m, 11)) {
                long[] prompt = ids(32, 9);
                int n = prompt.length;
                int steps = 6;
                UncompPolicy p = UncompPolicy.of(HIGH, KvCapacity.ofTokens(9)); // (13, 8): heads differ
                List<float[]> got = new ArrayList<>();
                long[] seq = Arrays.copyOf(prompt, n + steps);
                int[][][] kept = new int[2][][];
                try (KvCache cache = prefill(d, m, p, prompt, got)) {
                    for (int l = 0; l < 2; l++) {
                        kept[l] = cache.kept(l)[0];
                    }
                    for (int s = 0; s < steps; s++) {
                        seq[n + s] = argmax(got.get(s), 0, VOCAB);
                        if (s == steps - 1) {
                            break;
                        }
                        NDArray l = d.forward(Decoder.Input.ids(m.create(new long[] {seq[n + s]}, new Shape(1, 1)))
                                .optCache(cache)).logits();
                        got.add(l.toFloatArray());
                    }
                }
                // the session gives the same logits as the hand-driven cache
                List<float[]> session = greedy(d, p, steps, prompt);
                for (int s = 0; s < steps; s++) {
                    assertArrayEquals(got.get(s), session.get(s), "session step " + s);
                }

                int t = n + steps - 1; // the last generated token is never fed back
                int heads = c.numAttentionHeads();
                List<NDArray> masks = new ArrayList<>();
                for (int l = 0; l < 2; l++) {
                    float[] mask = new float[heads * t * t];
                    for (int h = 0; h < heads; h++) {
                        boolean[] keep = new boolean[n];
                        for (int j : kept[l][h]) {
                            keep[j] = true;
                        }
                        for (int i = 0; i < t; i++) {
                            for (int j = 0; j < t; j++) {
                                boolean hidden = j > i || (i >= n && j < n && !keep[j]);
                                mask[(h * t + i) * t + j] = hidden ? MaskPolicy.BLOCKED : 0f;
                            }
                        }
                    }
                    masks.add(m.create(mask, new Shape(1, heads, t, t)));
                }
                float[] want = maskedForward(d, m, Arrays.copyOf(seq, t), masks);
                float[] plain = maskedForward(d, m, Arrays.copyOf(seq, t), List.of(masks.get(0).zerosLike()
                        .add(causal(m, t)), masks.get(1).zerosLike().add(causal(m, t))));
                double err = 0;
                double effect = 0;
                for (int s = 0; s < steps; s++) {
                    float[] w = Arrays.copyOfRange(want, (n - 1 + s) * VOCAB, (n + s) * VOCAB);
                    float[] f = Arrays.copyOfRange(plain, (n - 1 + s) * VOCAB, (n + s) * VOCAB);
                    err = Math.max(err, maxDiff(got.get(s), w));
                    effect = Math.max(effect, maxDiff(f, w));
                }
                assertTrue(err < 1e-5, c.modelType() + ": max |Δ| vs masked forward = " + err);
                assertTrue(effect > 1e-2, c.modelType() + ": eviction must change the logits, max effect " + effect);
            }
        }
    }

    @Test
    void aMultiTokenPassAfterCompressionEqualsSingleSteps() {
        try (NDManager m = NDManager.newBaseManager(); Decoder d = model(gqa(), m, 12)) {
            long[] prompt = ids(30, 3);
            long[] more = {5, 9, 14, 20};
            UncompPolicy p = UncompPolicy.of(HIGH, KvCapacity.ofTokens(8)); // (12, 8): filler slots
            float[] oneByOne;
            float[] together;
            try (KvCache cache = prefill(d, m, p, prompt, new ArrayList<>())) {
                float[] last = null;
                for (long tok : more) {
                    last = d.forward(Decoder.Input.ids(m.create(new long[] {tok}, new Shape(1, 1))).optCache(cache))
                            .logits().toFloatArray();
                }
                oneByOne = last;
            }
            try (KvCache cache = prefill(d, m, p, prompt, new ArrayList<>())) {
                // two single steps grow the slot mask, then one pass of two tokens reads it
                for (int i = 0; i < 2; i++) {
                    d.forward(Decoder.Input.ids(m.create(new long[] {more[i]}, new Shape(1, 1))).optCache(cache));
                }
                float[] two = d.forward(Decoder.Input.ids(m.create(new long[] {more[2], more[3]}, new Shape(1, 2)))
                        .optCache(cache)).logits().toFloatArray();
                together = Arrays.copyOfRange(two, VOCAB, 2 * VOCAB);
                assertEquals(34, cache.length());
                assertEquals(new Shape(1, 4, 12 + 4, 8), cache.keys(0).getShape());
            }
            assertTrue(maxDiff(oneByOne, together) < 1e-5, "max |Δ| = " + maxDiff(oneByOne, together));
        }
    }

    private static NDArray causal(NDManager m, int t) {
        float[] a = new float[t * t];
        for (int i = 0; i < t; i++) {
            for (int j = i + 1; j < t; j++) {
                a[i * t + j] = MaskPolicy.BLOCKED;
            }
        }
        return m.create(a, new Shape(1, 1, t, t));
    }

    /** Logits {@code [T·V]} of one sequence, layer l reading the additive mask {@code masks[l]}. */
    private static float[] maskedForward(Decoder d, NDManager m, long[] seq, List<NDArray> masks) {
        DecoderConfig c = d.config();
        try (Rope rope = new Rope(m, c.headDim(), c.maxPositionEmbeddings(), c.ropeTheta(),
                (float) (1 / Math.sqrt(c.headDim())), c.numAttentionHeads(), c.numKeyValueHeads())) {
            NDArray h = d.embed(m.create(seq, new Shape(1, seq.length)));
            Rope.Tables tables = rope.contiguous(m, 0, seq.length);
            for (int l = 0; l < d.layers().size(); l++) {
                DecoderLayer layer = d.layers().get(l);
                h = layer.apply(h, tables, masks.get(l), null, l, false);
            }
            return d.lmHead(d.finalNorm().apply(h)).toFloatArray();
        }
    }

    @Test
    void calibrationGroupsHalfTheHeadsOfEveryLayer() {
        try (NDManager m = NDManager.newBaseManager(); Decoder d = model(gqa(), m, 2)) {
            List<long[]> prompts = List.of(ids(24, 1), ids(30, 2), ids(18, 3));
            double[][][] e = UncompCalibration.queryEntropy(d, prompts, UncompCalibration.defaultRank(8));
            assertEquals(3, e.length);
            for (double[][] prompt : e) {
                for (double[] layer : prompt) {
                    for (double h : layer) {
                        assertTrue(h > 0 && h <= 1, "entropy " + h);
                    }
                }
            }
            int[][] high = UncompCalibration.highEntropyHeads(d, prompts, 2);
            assertArrayEquals(HeadGroups.highEntropyHeads(e), high);
            for (int[] layer : high) {
                assertEquals(2, layer.length);
            }
            // the calibrated groups drive a working policy
            List<float[]> out = greedy(d, UncompPolicy.of(high, KvCapacity.ofFraction(0.25)), 3, ids(40, 4));
            assertEquals(3, out.size());
        }
    }

    @Test
    void misuseFailsClearly() {
        try (NDManager m = NDManager.newBaseManager(); Decoder d = model(gqa(), m, 1);
             Decoder lambda = new Decoder(gqa(), m, new InitWeights(1, 0.3, 2), LambdaMask.of(2, 8, 128))) {
            TokenBatch b = TokenBatch.single(m, ids(20, 1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> lambda.startDecoding(b, SnapKvPolicy.of(KvCapacity.ofTokens(10))));
            assertTrue(e.getMessage().contains("causal"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> d.startDecoding(b, KvCachePolicy.sinkWindow(new SinkWindow(2, 8))));
            assertTrue(e.getMessage().contains("sink-window"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class,
                    () -> d.startDecoding(b, UncompPolicy.of(new int[][] {{0, 1}}, KvCapacity.ofTokens(10))));
            assertTrue(e.getMessage().contains("layers"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> KvCapacity.ofFraction(0));
            assertNull(KvCachePolicy.FULL.eviction());
        }
    }
}

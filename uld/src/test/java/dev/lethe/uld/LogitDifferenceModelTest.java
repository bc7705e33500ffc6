package dev.lethe.uld;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lethe.core.lm.DecodingSession;
import dev.lethe.core.lm.Generator;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.model.Decoder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogitDifferenceModelTest {

    static final int V = Fixtures.TINY.vocabSize();
    static final long[][] IDS = {{1, 5, 9, 33, 7, 60, 2, 41}, {1, 12, 13, 14, 2, 2, 2, 2}};
    static final long[][] MASK = {{1, 1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 0, 0, 0}};
    static final List<long[]> PROMPTS = List.of(new long[] {1, 5, 6, 7, 8}, new long[] {1, 30, 31},
            new long[] {1, 44});

    private static Assistant trainedLookingAssistant(Decoder target) {
        Assistant a = AssistantBuilder.builder().setTarget(target).setLayers(2).optLora(4, 8, 0).optSeed(1).build();
        Fixtures.randomizeAdapters(a, 9, 0.3);
        return a;
    }

    @Test
    void alphaZeroScoresExactlyAsTheTarget() {
        try (NDManager m = NDManager.newBaseManager(); Decoder target = Fixtures.target(m, 1);
             Assistant a = trainedLookingAssistant(target); NDManager sm = m.newSubManager()) {
            TokenBatch batch = TokenBatch.of(sm, IDS, MASK, null);
            float[] zt = target.logits(batch).toFloatArray();
            for (double r : new double[] {0, 0.01, 0.1, 1}) {
                LogitDifferenceModel uld = LogitDifferenceModel.builder().setTarget(target)
                        .setAssistant(a.decoder()).optAlpha(0).optFilterRate(r).build();
                assertArrayEquals(zt, uld.logits(batch).toFloatArray(), 0f, "r = " + r);
            }
        }
    }

    @Test
    void alphaZeroGeneratesExactlyAsTheTarget() {
        try (NDManager m = NDManager.newBaseManager(); Decoder target = Fixtures.target(m, 2);
             Assistant a = trainedLookingAssistant(target)) {
            LogitDifferenceModel uld = LogitDifferenceModel.builder().setTarget(target).setAssistant(a.decoder())
                    .optAlpha(0).optFilterRate(0.1).build();
            // next-token logits: the target's on the plausible set, −∞ elsewhere
            try (NDManager sm = m.newSubManager();
                 DecodingSession t = target.startDecoding(TokenBatch.single(sm, PROMPTS.get(0)));
                 DecodingSession u = uld.startDecoding(TokenBatch.single(sm, PROMPTS.get(0)))) {
                for (int step = 0; step < 3; step++) {
                    float[] zt = t.nextLogits().toFloatArray();
                    float[] zu = u.nextLogits().toFloatArray();
                    boolean[] keep = new PlausibilityFilter(0.1).plausible(t.nextLogits()).toBooleanArray();
                    for (int v = 0; v < V; v++) {
                        assertEquals(keep[v] ? zt[v] : Float.NEGATIVE_INFINITY, zu[v], 0f);
                    }
                    NDArray next = sm.create(new long[] {argmax(zt)});
                    t.append(next);
                    u.append(next);
                }
            }
            Generator greedy = Generator.builder().optMaxNewTokens(6).build();
            List<Generator.Output> mine = greedy.generate(uld, PROMPTS);
            List<Generator.Output> theirs = greedy.generate(target, PROMPTS);
            for (int i = 0; i < PROMPTS.size(); i++) {
                assertArrayEquals(theirs.get(i).tokens(), mine.get(i).tokens(), "prompt " + i);
            }
        }
    }

    @Test
    void everythingPlausibleGivesTargetMinusAlphaAssistant() {
        try (NDManager m = NDManager.newBaseManager(); Decoder target = Fixtures.target(m, 3);
             Assistant a = trainedLookingAssistant(target); NDManager sm = m.newSubManager()) {
            TokenBatch batch = TokenBatch.of(sm, IDS, MASK, null);
            float[] zt = target.logits(batch).toFloatArray();
            float[] za = a.decoder().logits(batch).toFloatArray();
            for (double r : new double[] {0, 1}) { // r = 0: no filter; r = 1: k = V keeps all
                float[] z = LogitDifferenceModel.builder().setTarget(target).setAssistant(a.decoder())
                        .optAlpha(0.8).optFilterRate(r).build().logits(batch).toFloatArray();
                for (int i = 0; i < z.length; i++) {
                    assertEquals(zt[i] - 0.8f * za[i], z[i], 1e-5f, "r = " + r);
                }
            }
        }
    }

    @Test
    void scoringKeepsRawTargetLogitsOnImplausibleTokensAndGenerationBansThem() {
        try (NDManager m = NDManager.newBaseManager(); Decoder target = Fixtures.target(m, 4);
             Assistant a = trainedLookingAssistant(target); NDManager sm = m.newSubManager()) {
            LogitDifferenceModel uld = LogitDifferenceModel.builder().setTarget(target).setAssistant(a.decoder())
                    .optAlpha(0.8).optFilterRate(0.05).build();
            TokenBatch batch = TokenBatch.of(sm, IDS, MASK, null);
            NDArray ztA = target.logits(batch);
            NDArray zaA = a.decoder().logits(batch);
            float[] zt = ztA.toFloatArray();
            float[] za = zaA.toFloatArray();
            boolean[] keep = new PlausibilityFilter(0.05).plausible(ztA).toBooleanArray();
            float[] score = uld.logits(batch).toFloatArray();
            float[] gen = uld.generationLogits(ztA, zaA).toFloatArray();
            int implausible = 0;
            for (int i = 0; i < zt.length; i++) {
                if (keep[i]) {
                    assertEquals(zt[i] - 0.8f * za[i], score[i], 1e-5f);
                    assertEquals(score[i], gen[i], 0f);
                } else {
                    implausible++;
                    assertEquals(zt[i], score[i], 0f, "scoring path: raw target logit");
                    assertEquals(Float.NEGATIVE_INFINITY, gen[i], "generation path: banned");
                }
            }
            assertTrue(implausible > zt.length / 2, "the filter must bite in this test");
            // r = 0 generation path: log_softmax(z_t) − α·log_softmax(z_a)
            LogitDifferenceModel raw = LogitDifferenceModel.builder().setTarget(target).setAssistant(a.decoder())
                    .optAlpha(0.8).optFilterRate(0).build();
            float[] lt = ztA.logSoftmax(-1).toFloatArray();
            float[] la = zaA.logSoftmax(-1).toFloatArray();
            float[] g0 = raw.generationLogits(ztA, zaA).toFloatArray();
            for (int i = 0; i < g0.length; i++) {
                assertEquals(lt[i] - 0.8f * la[i], g0[i], 1e-5f);
            }
        }
    }

    @Test
    void twoKvCachesMatchRecomputationWithoutCaches() {
        try (NDManager m = NDManager.newBaseManager(); Decoder target = Fixtures.target(m, 5);
             Assistant a = trainedLookingAssistant(target)) {
            a.merge();
            LogitDifferenceModel uld = LogitDifferenceModel.builder().setTarget(target).setAssistant(a.decoder())
                    .optAlpha(0.8).optFilterRate(0.1).build();
            int steps = 5;
            // left-padded batch through the session (two KV caches) ...
            long[][] prompts = {{1, 5, 6, 7, 8}, {0, 0, 1, 30, 31}};
            long[][] mask = {{1, 1, 1, 1, 1}, {0, 0, 1, 1, 1}};
            List<long[]> seqs = new ArrayList<>(List.of(new long[] {1, 5, 6, 7, 8}, new long[] {1, 30, 31}));
            try (NDManager sm = m.newSubManager();
                 DecodingSession s = uld.startDecoding(TokenBatch.of(sm, prompts, mask, null))) {
                for (int step = 0; step < steps; step++) {
                    float[] cached = s.nextLogits().toFloatArray();
                    long[] next = new long[2];
                    for (int row = 0; row < 2; row++) {
                        // ... against full recomputation of both models on the unpadded sequence, no cache
                        try (NDManager rm = sm.newSubManager()) {
                            TokenBatch one = TokenBatch.single(rm, seqs.get(row));
                            NDArray zt = target.logits(one).get("0, -1, :");
                            NDArray za = a.decoder().logits(one).get("0, -1, :");
                            float[] full = uld.generationLogits(zt, za).toFloatArray();
                            float[] mine = Fixtures.row(cached, row, V);
                            assertArrayEquals(full, mine, 1e-4f, "row " + row + " step " + step);
                            next[row] = argmax(mine);
                            assertTrue(Float.isFinite(mine[(int) next[row]]));
                        }
                        seqs.set(row, append(seqs.get(row), next[row]));
                    }
                    s.append(sm.create(next));
                }
            }
            // and Generator (greedy, through the session) produces the same continuations
            List<Generator.Output> out = Generator.builder().optMaxNewTokens(steps).build()
                    .generate(uld, List.of(new long[] {1, 5, 6, 7, 8}, new long[] {1, 30, 31}));
            for (int row = 0; row < 2; row++) {
                long[] expect = java.util.Arrays.copyOfRange(seqs.get(row), row == 0 ? 5 : 3, seqs.get(row).length);
                int eos = Fixtures.TINY.eosTokenId();
                int cut = 0;
                while (cut < expect.length && expect[cut] != eos) {
                    cut++;
                }
                assertArrayEquals(java.util.Arrays.copyOf(expect, cut), out.get(row).tokens(), "row " + row);
            }
        }
    }

    @Test
    void samplingRunsThroughTheGeneratorAndNeverPicksImplausibleTokens() {
        try (NDManager m = NDManager.newBaseManager(); Decoder target = Fixtures.target(m, 6);
             Assistant a = trainedLookingAssistant(target)) {
            LogitDifferenceModel uld = LogitDifferenceModel.builder().setTarget(target).setAssistant(a.decoder())
                    .optAlpha(0.8).optFilterRate(0.05).build();
            Generator sampler = Generator.builder().optMaxNewTokens(10).optTemperature(1.5).optSeed(3).build();
            List<long[]> prompts = PROMPTS.subList(0, 2);
            List<Generator.Output> x = sampler.generate(uld, prompts);
            List<Generator.Output> y = sampler.generate(uld, prompts);
            for (int i = 0; i < prompts.size(); i++) {
                assertArrayEquals(x.get(i).tokens(), y.get(i).tokens(), "seeded sampling is reproducible");
                long[] prompt = prompts.get(i);
                long[] seq = prompt;
                for (long tok : x.get(i).tokens()) {
                    seq = append(seq, tok);
                }
                try (NDManager sm = m.newSubManager()) {
                    // one teacher-forced pass: position p's logits are those the generator saw before token p+1
                    boolean[] keep = new PlausibilityFilter(0.05).plausible(
                            target.logits(TokenBatch.single(sm, seq)).get(0)).toBooleanArray();
                    for (int p = prompt.length - 1; p < seq.length - 1; p++) {
                        assertTrue(keep[p * V + (int) seq[p + 1]], "sampled an implausible token at " + p);
                    }
                }
            }
            List<Generator.Output> greedy = Generator.builder().optMaxNewTokens(10).build().generate(uld, prompts);
            boolean differs = false;
            for (int i = 0; i < prompts.size(); i++) {
                differs |= !java.util.Arrays.equals(greedy.get(i).tokens(), x.get(i).tokens());
            }
            assertTrue(differs, "sampling at T = 1.5 should not equal greedy on every prompt");
            assertFalse(uld.filterRate() == 0);
            assertNotEquals(0.0, uld.alpha());
        }
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    static long[] append(long[] a, long x) {
        long[] b = java.util.Arrays.copyOf(a, a.length + 1);
        b[a.length] = x;
        return b;
    }
}

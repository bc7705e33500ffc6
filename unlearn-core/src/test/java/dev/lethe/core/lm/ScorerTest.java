package dev.lethe.core.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.model.InitWeights;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The scorer's labelled-positions-only path against log-softmax over the full logits, computed here. */
class ScorerTest {

    static final int IGNORE = TokenLogProbs.IGNORE;

    /** GQA with q/k/v biases (Qwen2 layout), untied head. */
    static DecoderConfig config() {
        return new DecoderConfig("qwen2", 37, 32, 48, 2, 4, 2, 1e-6, 500.0, 64, false, true, 1, 2, 2);
    }

    // two right-padded rows; row 0 scores its last three tokens, row 1 only its last one
    static final long[][] IDS = {{1, 5, 6, 7, 8, 9}, {1, 30, 31, 2, 0, 0}};
    static final long[][] MASK = {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 0, 0}};
    static final long[][] LABELS = {{IGNORE, IGNORE, IGNORE, 7, 8, 9}, {IGNORE, IGNORE, IGNORE, 2, IGNORE, IGNORE}};

    @Test
    void labelledLogProbsAndVocabularyStatisticsMatchTheFullLogits() {
        DecoderConfig c = config();
        try (NDManager m = NDManager.newBaseManager();
             Decoder d = new Decoder(c, m, new InitWeights(3, 0.3, c.numHiddenLayers()))) {
            List<Scorer.Result> got = new Scorer(d).optVocabStats(true).score(IDS, MASK, LABELS);
            float[] logits = d.logits(TokenBatch.of(m, IDS, MASK, null)).toFloatArray();
            int width = IDS[0].length;
            int v = c.vocabSize();
            for (int b = 0; b < IDS.length; b++) {
                Scorer.Result r = got.get(b);
                int k = 0;
                for (int t = 0; t + 1 < width; t++) {
                    long label = LABELS[b][t + 1];
                    if (label == IGNORE) {
                        continue;
                    }
                    int off = (b * width + t) * v;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < v; i++) {
                        max = Math.max(max, logits[off + i]);
                    }
                    double z = 0;
                    for (int i = 0; i < v; i++) {
                        z += Math.exp(logits[off + i] - max);
                    }
                    double lse = max + Math.log(z);
                    double mean = 0;
                    double second = 0;
                    for (int i = 0; i < v; i++) {
                        double lp = logits[off + i] - lse;
                        mean += Math.exp(lp) * lp;
                        second += Math.exp(lp) * lp * lp;
                    }
                    assertEquals(label, r.targets()[k], "row " + b + " position " + t);
                    assertEquals(logits[off + (int) label] - lse, r.tokenLogProbs()[k], 2e-5, "row " + b + " t " + t);
                    assertEquals(mean, r.vocabMean()[k], 2e-5);
                    assertEquals(Math.sqrt(second - mean * mean), r.vocabStd()[k], 2e-4);
                    k++;
                }
                assertEquals(k, r.count(), "row " + b + " scored positions");
            }
            assertEquals(3, got.get(0).count());
            assertEquals(1, got.get(1).count());
        }
    }

    @Test
    void decoderLogitsAtEqualsTheDefaultThatPicksRowsOfTheFullLogits() {
        DecoderConfig c = config();
        try (NDManager m = NDManager.newBaseManager();
             Decoder d = new Decoder(c, m, new InitWeights(4, 0.3, c.numHiddenLayers()))) {
            LanguageModel plain = new LanguageModel() { // only logits(): the interface's default logitsAt
                public DecoderConfig config() {
                    return d.config();
                }

                public NDManager manager() {
                    return d.manager();
                }

                public NDArray logits(TokenBatch batch) {
                    return d.logits(batch);
                }

                public DecodingSession startDecoding(TokenBatch prompt) {
                    return d.startDecoding(prompt);
                }

                public void close() {}
            };
            TokenBatch batch = TokenBatch.of(m, IDS, MASK, null);
            NDArray positions = m.create(new long[] {11, 0, 3, 8, 4});
            float[] own = d.logitsAt(batch, positions).toFloatArray();
            float[] picked = plain.logitsAt(batch, positions).toFloatArray();
            assertEquals(5L * c.vocabSize(), own.length);
            assertArrayEquals(picked, own, 1e-5f);
        }
    }

    @Test
    void aBatchWithNothingScoredGivesEmptyResults() {
        DecoderConfig c = config();
        try (NDManager m = NDManager.newBaseManager();
             Decoder d = new Decoder(c, m, new InitWeights(3, 0.3, c.numHiddenLayers()))) {
            long[][] none = {{IGNORE, IGNORE, IGNORE, IGNORE, IGNORE, IGNORE}, {IGNORE, 30, 31, 2, IGNORE, IGNORE}};
            none[1] = new long[] {31, IGNORE, IGNORE, IGNORE, IGNORE, IGNORE}; // a label at t = 0 predicts nothing
            List<Scorer.Result> got = new Scorer(d).score(IDS, MASK, none);
            assertEquals(2, got.size());
            assertEquals(0, got.get(0).count());
            assertEquals(0, got.get(1).count());
            assertEquals(Double.NaN, got.get(1).meanNll());
        }
    }
}

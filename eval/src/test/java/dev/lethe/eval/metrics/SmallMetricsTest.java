package dev.lethe.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-computed expectations for the scalar metric formulas. */
class SmallMetricsTest {

    @Test
    void answerScoreFromLogProbs() {
        AnswerScore s = AnswerScore.fromLogProbs(new float[] {-1f, -2f, -3f});
        assertEquals(2.0, s.avgLoss(), 1e-12);
        assertEquals(3, s.numTokens());
        assertEquals(Math.exp(-2), s.prob(), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> AnswerScore.fromLogProbs(new float[0]));
    }

    @Test
    void normalisedProbability() {
        // 0.5 / (0.5 + 0.1 + 0.2 + 0.2 + 1e-10)
        assertEquals(0.5 / (1.0 + 1e-10), Probabilities.normalised(0.5, new double[] {0.1, 0.2, 0.2}), 1e-16);
        AnswerScore c = new AnswerScore(-Math.log(0.5), 2);
        List<AnswerScore> w = List.of(new AnswerScore(-Math.log(0.25), 3), new AnswerScore(-Math.log(0.25), 1));
        assertEquals(0.5, Probabilities.normalised(c, w), 1e-9);
    }

    @Test
    void truthRatioIsGeometricMeanOfWrongOverCorrect() {
        // correct avg-loss 1, wrong avg-losses 2 and 4 -> geo-mean wrong prob exp(-3); R = exp(-3)/exp(-1) = exp(-2).
        double r = TruthRatio.ratio(1.0, new double[] {2.0, 4.0});
        assertEquals(Math.exp(-3) / (Math.exp(-1) + 1e-10), r, 1e-15);
        assertEquals(Math.exp(-2), TruthRatio.legacyRatio(1.0, new double[] {2.0, 4.0}), 1e-15);
        // arithmetic mean would be (e^-2 + e^-4)/2 / e^-1 = 0.1931..., not e^-2 = 0.1353...
        assertEquals(0.1353352832, r, 1e-9);
    }

    @Test
    void truthRatioAggregators() {
        double[] r = {0.5, 2.0, 1.0};
        // min(R, 1/R): 0.5, 0.5, 1 -> 2/3 (the 1e-10 guard shifts the last digits only)
        assertEquals(2.0 / 3, TruthRatio.Aggregator.CLOSER_TO_1_BETTER.aggregate(r), 1e-9);
        // max(0, 1 - R): 0.5, 0, 0 -> 1/6
        assertEquals(1.0 / 6, TruthRatio.Aggregator.TRUE_BETTER.aggregate(r), 1e-15);
        assertEquals(7.0 / 6, TruthRatio.Aggregator.PROB_MEAN.aggregate(r), 1e-15);
        // prob_mean per item: p_c / (p_c + p_w): exp(-1)/(exp(-1)+exp(-1)) = 1/2
        assertEquals(0.5, TruthRatio.Aggregator.PROB_MEAN.perItem(1.0, new double[] {1.0}), 1e-9);
        assertEquals(TruthRatio.Aggregator.TRUE_BETTER, TruthRatio.Aggregator.byConfigName("true_better"));
        assertThrows(IllegalArgumentException.class, () -> TruthRatio.Aggregator.byConfigName("nope"));
    }

    @Test
    void harmonicMean() {
        assertEquals(12.0 / 7, ModelUtility.harmonicMean(1, 2, 4), 1e-15);
        assertEquals(0.0, ModelUtility.harmonicMean(0.9, 0.0, 0.5));
        assertEquals(Double.NaN, ModelUtility.harmonicMean(0.9, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> ModelUtility.harmonicMean(0.5, -0.1));
    }

    @Test
    void exactMemorizationAndExtractionStrength() {
        int[] labels = {5, 6, 7, 8};
        assertEquals(0.75, Memorization.exactMemorization(new int[] {5, 0, 7, 8}, labels));
        assertNull(Memorization.exactMemorization(new int[0], new int[0]));
        // suffix [7, 8] is the longest matching one: k = 2 -> 1 - 2/4
        assertEquals(0.5, Memorization.extractionStrength(new int[] {5, 0, 7, 8}, labels), 1e-15);
        assertEquals(1.0, Memorization.extractionStrength(labels.clone(), labels), 1e-15);
        // OU quirk: nothing matches -> k stays n - 1 -> 1/n (same as only the last token matching)
        assertEquals(0.25, Memorization.extractionStrength(new int[] {0, 0, 0, 0}, labels), 1e-15);
        assertEquals(0.25, Memorization.extractionStrength(new int[] {0, 0, 0, 8}, labels), 1e-15);
        assertEquals(0.0, Memorization.extractionStrength(new int[0], new int[0]));
        assertEquals(List.of(2, 0), List.of(Memorization.argmax(new float[][] {{0f, 1f, 3f}, {2f, 2f, 1f}})[0],
                Memorization.argmax(new float[][] {{0f, 1f, 3f}, {2f, 2f, 1f}})[1]));
    }

    @Test
    void miaScores() {
        float[] lp = {-1f, -2f, -3f, -4f, -5f};
        // int(5 * 0.4) = 2 lowest: -5, -4 -> 4.5
        assertEquals(4.5, MiaScores.minK(lp, 0.4), 1e-12);
        // k = 0.1 -> max(1, 0) = 1 -> 5
        assertEquals(5.0, MiaScores.minK(lp, 0.1), 1e-12);
        assertEquals(0.0, MiaScores.minK(new float[0], 0.4));
        // Python: len(zlib.compress(b"hello world")) == 19, "" -> 8, "ééé naïve" -> 20
        assertEquals(19, MiaScores.zlibLength("hello world"));
        assertEquals(8, MiaScores.zlibLength(""));
        assertEquals(20, MiaScores.zlibLength("ééé naïve"));
        assertEquals(2.0 / 19, MiaScores.zlib(2.0, "hello world"), 1e-15);
        assertEquals(0.5, MiaScores.reference(2.0, 1.5), 1e-15);
        assertEquals(2.0, MiaScores.gradNorm(new double[] {1, 3}), 1e-15);
    }

    @Test
    void minKPlusPlusAgainstNumpy() {
        float[] tokenLp = {-0.5f, -2.0f, -0.1f};
        float[][] vocab = {
                {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.2)},
                {(float) Math.log(0.1), (float) Math.log(0.2), (float) Math.log(0.7)},
                {(float) Math.log(0.9), (float) Math.log(0.05), (float) Math.log(0.05)}};
        // numpy: z = [1.4525, -1.7041, 0.3395]; int(3*0.4) = 1 -> -(-1.7041)
        assertEquals(1.7040767582058034, MiaScores.minKPlusPlus(tokenLp, vocab, 0.4), 1e-6);
    }

    @Test
    void rocAucWithTiesAsSklearn() {
        // holdout 2 vs forget {1,2,3}: 1 + 0.5 + 0; holdout 4: 3 -> 4.5 / 6
        assertEquals(0.75, RocAuc.forgetVsHoldout(new double[] {1, 2, 3}, new double[] {2, 4}), 1e-15);
        assertEquals(1.0, RocAuc.forgetVsHoldout(new double[] {0.1, 0.2}, new double[] {0.3, 0.9}), 0);
        assertEquals(0.0, RocAuc.forgetVsHoldout(new double[] {5, 6}, new double[] {1, 2}), 0);
        assertEquals(0.5, RocAuc.forgetVsHoldout(new double[] {1, 1}, new double[] {1, 1, 1}), 0);
        assertThrows(IllegalArgumentException.class, () -> RocAuc.auc(new double[0], new double[] {1}));
    }

    @Test
    void privleakFlipsBothAucs() {
        // model AUC 0.99 (forget still member-like), retain 0.5: s = 0.01, r = 0.5 -> -98
        assertEquals(-98.0, PrivLeak.privleak(0.99, 0.5), 1e-6);
        assertEquals(0.0, PrivLeak.privleak(0.6, 0.6), 1e-12);
        assertEquals(20.0, PrivLeak.relDiff(0.6, 0.5), 1e-6);
    }
}

package dev.lethe.eval.probes;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.kv.UncompCalibration;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.model.InitWeights;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MatrixEntropyProbeTest {

    @Test
    void repeatedTokenCollapsesEmbeddingEntropyWhileVariedTokensDoNot() {
        DecoderConfig c = new DecoderConfig("llama", 37, 32, 48, 2, 4, 2, 1e-6, 500.0, 64, false, false, 1, 2, 2);
        try (NDManager m = NDManager.newBaseManager();
             Decoder d = new Decoder(c, m, new InitWeights(7, 0.3, c.numHiddenLayers()))) {
            MatrixEntropyProbe probe = new MatrixEntropyProbe(32);
            MatrixEntropyProbe.Profile varied = probe.profile(d, List.of(
                    new long[] {1, 5, 9, 33, 2, 17, 4, 30, 11, 0, 36, 8}, new long[] {3, 14, 15, 9, 26, 5, 35, 8}));
            MatrixEntropyProbe.Profile flat = probe.profile(d, List.of(new long[] {5, 5, 5, 5, 5, 5, 5, 5}));
            assertEquals(3, varied.hidden().length);
            assertEquals(2, varied.keys().length);
            assertEquals(2, varied.keys()[0].length);
            assertTrue(varied.hidden()[0] > 0.3, "varied embeddings: " + varied.hidden()[0]);
            assertTrue(flat.hidden()[0] < 1e-3, "identical rows have no spread: " + flat.hidden()[0]);
            for (double[] layer : varied.keys()) {
                for (double h : layer) {
                    assertTrue(h > 0 && h <= 1 + 1e-9, "key entropy " + h);
                }
            }
        }
    }

    @Test
    void queriesMatchUncompCalibrationAndTheMeanProfileAveragesPrompts() {
        DecoderConfig c = new DecoderConfig("llama", 37, 32, 48, 2, 4, 2, 1e-6, 500.0, 64, false, false, 1, 2, 2);
        List<long[]> prompts = List.of(new long[] {1, 5, 9, 33, 2, 17, 4, 30, 11, 0, 36, 8},
                new long[] {3, 14, 15, 9, 26, 5, 35, 8});
        try (NDManager m = NDManager.newBaseManager();
             Decoder d = new Decoder(c, m, new InitWeights(7, 0.3, c.numHiddenLayers()))) {
            MatrixEntropyProbe probe = new MatrixEntropyProbe(0); // width / 4: 8 of the hidden 32, 2 of head dim 8
            assertEquals(8, probe.rankFor(32));
            assertEquals(2, probe.rankFor(8));
            assertEquals(5, new MatrixEntropyProbe(5).rankFor(32));
            assertEquals(8, new MatrixEntropyProbe(32).rankFor(8));
            List<MatrixEntropyProbe.Profile> each = probe.perPrompt(d, prompts);
            double[][][] calib = UncompCalibration.queryEntropy(d, prompts, 2);
            for (int p = 0; p < prompts.size(); p++) {
                assertEquals(4, each.get(p).queries()[0].length, "one entry per query head");
                for (int l = 0; l < 2; l++) {
                    for (int h = 0; h < 4; h++) {
                        assertEquals(calib[p][l][h], each.get(p).queries()[l][h], 0.0);
                    }
                }
            }
            MatrixEntropyProbe.Profile mean = probe.profile(d, prompts);
            for (int l = 0; l < 3; l++) {
                assertEquals((each.get(0).hidden()[l] + each.get(1).hidden()[l]) / 2, mean.hidden()[l], 1e-15);
            }
            assertEquals((each.get(0).keys()[1][1] + each.get(1).keys()[1][1]) / 2, mean.keys()[1][1], 1e-15);
            assertThrows(IllegalArgumentException.class, () -> probe.perPrompt(d, List.of(new long[] {4})));
        }
    }
}

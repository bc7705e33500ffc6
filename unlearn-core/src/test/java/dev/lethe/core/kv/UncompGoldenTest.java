package dev.lethe.core.kv;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Spec §2.7 goldens. */
class UncompGoldenTest {

    /** Rows ±e_i for the given axes, d = 8. */
    private static double[][] signedAxes(int axes) {
        double[][] x = new double[2 * axes][8];
        for (int i = 0; i < axes; i++) {
            x[2 * i][i] = 1;
            x[2 * i + 1][i] = -1;
        }
        return x;
    }

    @Test
    void entropyGoldens() {
        assertEquals(1.0, MatrixEntropy.of(signedAxes(8)), 1e-6);
        assertEquals(0.25, MatrixEntropy.truncated(signedAxes(8), 2), 1e-6);
        assertEquals(0.0, MatrixEntropy.of(signedAxes(1)), 1e-6);
        assertEquals(Math.log(2) / Math.log(8), MatrixEntropy.of(signedAxes(2)), 1e-6);
        assertEquals(0.3333, MatrixEntropy.of(signedAxes(2)), 1e-4);
    }

    @Test
    void entropyInvariances() {
        Random r = new Random(4);
        double[][] x = new double[20][8];
        for (double[] row : x) {
            for (int j = 0; j < 8; j++) {
                row[j] = r.nextGaussian() * (j + 1);
            }
        }
        double h = MatrixEntropy.truncated(x, 4);
        assertEquals(true, h > 0.1 && h < 1, "non-trivial: " + h);
        // a random orthogonal matrix from Gram–Schmidt
        double[][] q = new double[8][8];
        for (int i = 0; i < 8; i++) {
            for (int j = 0; j < 8; j++) {
                q[i][j] = r.nextGaussian();
            }
            for (int k = 0; k < i; k++) {
                double dot = 0;
                for (int j = 0; j < 8; j++) {
                    dot += q[i][j] * q[k][j];
                }
                for (int j = 0; j < 8; j++) {
                    q[i][j] -= dot * q[k][j];
                }
            }
            double n = 0;
            for (int j = 0; j < 8; j++) {
                n += q[i][j] * q[i][j];
            }
            for (int j = 0; j < 8; j++) {
                q[i][j] /= Math.sqrt(n);
            }
        }
        double[][] rotated = new double[20][8];
        double[][] shifted = new double[20][8];
        for (int t = 0; t < 20; t++) {
            for (int j = 0; j < 8; j++) {
                for (int k = 0; k < 8; k++) {
                    rotated[t][j] += x[t][k] * q[k][j];
                }
                shifted[t][j] = x[t][j] + 3.0 * j - 5;
            }
        }
        assertEquals(h, MatrixEntropy.truncated(rotated, 4), 1e-9);
        assertEquals(h, MatrixEntropy.truncated(shifted, 4), 1e-9);
        // per-row rescaling: rows come in ± pairs, so the mean stays 0 whatever positive factor each pair gets
        double[][] sym = new double[20][8];
        double[][] scaled = new double[20][8];
        for (int t = 0; t < 10; t++) {
            double c = 0.1 + 3 * r.nextDouble();
            for (int j = 0; j < 8; j++) {
                sym[2 * t][j] = x[t][j];
                sym[2 * t + 1][j] = -x[t][j];
                scaled[2 * t][j] = c * x[t][j];
                scaled[2 * t + 1][j] = -c * x[t][j];
            }
        }
        assertEquals(MatrixEntropy.truncated(sym, 4), MatrixEntropy.truncated(scaled, 4), 1e-9);
    }

    @Test
    void stageGoldenOnReferenceArray() {
        double[] wikitext32 = {
            71.09449688487334, 70.85130519012856, 67.40613406287716, 69.04946102517368,
            69.22327756162719, 69.51528308727653, 71.96004949780146, 73.14870527360563,
            72.39993716987092, 73.33161718592027, 73.3456552653242, 73.32481194641586,
            73.68638390929002, 73.93574881680618, 74.61757474828251, 73.30678839776678,
            73.6027615610652, 73.91468930567065, 73.90614702585596, 74.62802834396467,
            74.46465621554732, 74.76733693669686, 74.94375721541391, 75.72328136974946,
            74.83840156524144, 76.99661199571894, 75.59826604347896, 76.24339032859046,
            76.6184171897687, 75.7592322159148, 75.27747141727312, 73.44524688370723};
        List<List<Integer>> stages = LayerStages.segment(wikitext32, 1.0);
        assertEquals(5, stages.size());
        assertEquals(List.of(0, 1), stages.get(0));
        assertEquals(2, stages.get(1).get(0));
        assertEquals(14, stages.get(1).get(stages.get(1).size() - 1));
        assertEquals(15, stages.get(2).get(0));
        assertEquals(25, stages.get(2).get(stages.get(2).size() - 1));
        assertEquals(List.of(26, 27, 28, 29, 30), stages.get(3));
        assertEquals(List.of(31), stages.get(4));
        // K_s = m + ⌊(T − m)/S⌋·(S − s), m = 1536, T = 4096, S = 4
        assertEquals(4096, LayerStages.keptTokens(0, 5, 1536, 4096));
        assertEquals(1536, LayerStages.keptTokens(4, 5, 1536, 4096));
        assertEquals(1536 + 640 * 2, LayerStages.keptTokens(2, 5, 1536, 4096));
    }

    private static double[][] peaks(int n, int w) {
        double[][] a = new double[w][n];
        for (double[] row : a) {
            row[3] = 0.5;
            row[17] = 0.3;
            row[40] = 0.2;
        }
        return a;
    }

    @Test
    void selectionKeepsPeaksAndWindow() {
        assertArrayEquals(new int[] {3, 17, 40, 48, 49}, SnapKvSelector.select(peaks(50, 2), 5, 1));
    }

    @Test
    void kernelSevenTiesGoToLowerIndex() {
        // the max pool spreads 0.5 over keys 0..6: seven-way tie, lowest indices win
        assertArrayEquals(new int[] {0, 1, 2, 48, 49}, SnapKvSelector.select(peaks(50, 2), 5, 7));
        // with budget for 8 prefix keys: 0..6 (tie at 0.5) then 14 (lowest of the 0.3 plateau)
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 14, 48, 49}, SnapKvSelector.select(peaks(50, 2), 10, 7));
    }

    @Test
    void fullBudgetKeepsEverything() {
        assertArrayEquals(java.util.stream.IntStream.range(0, 50).toArray(), SnapKvSelector.select(peaks(50, 2), 50, 7));
    }

    @Test
    void budgetsAndAccounting() {
        assertEquals(new GroupBudget(768, 384), GroupBudget.reference(512, 4096));
        assertEquals(new GroupBudget(600, 300), GroupBudget.reference(512, 600));
        GroupBudget b = GroupBudget.reference(512, 4096);
        assertEquals(16L * 768 + 16L * 384, b.retained(16, 16, 4096));
        assertEquals((768 + 384) / (2.0 * 4096), b.ratio(16, 16, 4096), 1e-12);
        assertEquals(new GroupBudget(682, 341), GroupBudget.equalMemory(512, 4096));
    }

    @Test
    void headGroupsByFlagCounts() {
        // 2 prompts, 1 layer, 4 heads: heads 1 and 3 are high in both prompts
        double[][][] e = {{{0.1, 0.9, 0.2, 0.8}}, {{0.3, 0.7, 0.1, 0.9}}};
        assertArrayEquals(new int[] {1, 3}, HeadGroups.highEntropyHeads(e)[0]);
        List<int[]> g = HeadGroups.split(new double[] {0.5, 0.1, 0.9, 0.3}, 2);
        assertArrayEquals(new int[] {1, 3}, g.get(0));
        assertArrayEquals(new int[] {0, 2}, g.get(1));
    }
}

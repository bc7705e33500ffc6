package dev.lethe.eco;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each corruption function on a hand-made embedding: 3 tokens × d = 5, tokens 0 and 2 selected. */
class CorruptionTest {

    static final int D = 5;
    static final boolean[] SEL = {true, false, true};

    static float[] emb() {
        return new float[] {
                0.5f, -3f, 1f, 2f, -0.25f,   // token 0: |e| order 1, 3, 2, 0, 4
                9f, 9f, 9f, 9f, 9f,          // token 1: not selected, must never change
                -1f, 0.1f, 4f, -6f, 2f};     // token 2: |e| order 3, 2, 4, 0, 1
    }

    static float[] run(CorruptionType type, int dims, double strength) {
        float[] e = emb();
        new Corruption(type, dims, strength, 7).applyRow(e, D, SEL, 11);
        return e;
    }

    static void assertUnselectedUntouched(float[] e) {
        for (int i = D; i < 2 * D; i++) {
            assertEquals(9f, e[i]);
        }
    }

    @Test
    void zeroOutFirstN() {
        float[] e = run(CorruptionType.ZERO_OUT_FIRST_N, 2, 0);
        assertArrayEquals(new float[] {0, 0, 1, 2, -0.25f, 9, 9, 9, 9, 9, 0, 0, 4, -6, 2}, e);
    }

    @Test
    void zeroOutTopKByMagnitude() {
        float[] e = run(CorruptionType.ZERO_OUT_TOP_K, 2, 0);
        assertArrayEquals(new float[] {0.5f, 0, 1, 0, -0.25f, 9, 9, 9, 9, 9, -1, 0.1f, 0, 0, 2}, e);
    }

    @Test
    void flipSignFirstNAndTopK() {
        assertArrayEquals(new float[] {-0.5f, 3, -1, 2, -0.25f, 9, 9, 9, 9, 9, 1, -0.1f, -4, -6, 2},
                run(CorruptionType.FLIP_SIGN_FIRST_N, 3, 0));
        assertArrayEquals(new float[] {0.5f, 3, 1, -2, -0.25f, 9, 9, 9, 9, 9, -1, 0.1f, -4, 6, 2},
                run(CorruptionType.FLIP_SIGN_TOP_K, 2, 0));
    }

    @Test
    void flipSignTopKWithKEqualDNegatesTheWholeVector() {
        float[] e = run(CorruptionType.FLIP_SIGN_TOP_K, D, 0);
        float[] o = emb();
        for (int i = 0; i < e.length; i++) {
            assertEquals(i / D == 1 ? o[i] : -o[i], e[i]);
        }
        // k larger than d is clamped to d.
        assertArrayEquals(e, run(CorruptionType.FLIP_SIGN_TOP_K, 100, 0));
    }

    @Test
    void valueVariantsRankBySignedValueAsTheReference() {
        // sub_value_top_k: the 2 largest signed values; token 0: 2 (dim 3), 1 (dim 2); token 2: 4 (dim 2), 2 (dim 4)
        assertArrayEquals(new float[] {0.5f, -3, -0.5f, 0.5f, -0.25f, 9, 9, 9, 9, 9, -1, 0.1f, 2.5f, -6, 0.5f},
                run(CorruptionType.SUB_VALUE_TOP_K, 2, 1.5));
        // add_value_least_k: the 2 smallest signed values; token 0: −3 (dim 1), −0.25 (dim 4); token 2: −6, −1
        assertArrayEquals(new float[] {0.5f, -1.5f, 1, 2, 1.25f, 9, 9, 9, 9, 9, 0.5f, 0.1f, 4, -4.5f, 2},
                run(CorruptionType.ADD_VALUE_LEAST_K, 2, 1.5));
        assertArrayEquals(new float[] {-0.5f, -3, 1, 2, -0.25f, 9, 9, 9, 9, 9, -2, 0.1f, 4, -6, 2},
                run(CorruptionType.SUB_VALUE_FIRST_N, 1, 1));
        assertArrayEquals(new float[] {1.5f, -2, 1, 2, -0.25f, 9, 9, 9, 9, 9, 0, 1.1f, 4, -6, 2},
                run(CorruptionType.ADD_VALUE_FIRST_N, 2, 1));
    }

    @Test
    void topKTiesGoToTheLowerIndex() {
        float[] e = {1, -1, 1, 1, 0.5f};
        new Corruption(CorruptionType.ZERO_OUT_TOP_K, 2, 0, 0).applyRow(e, D, new boolean[] {true}, 0);
        assertArrayEquals(new float[] {0, 0, 1, 1, 0.5f}, e);
    }

    @Test
    void randNoiseFirstNTouchesOnlyTheFirstNDimsOfSelectedTokens() {
        float[] e = run(CorruptionType.RAND_NOISE_FIRST_N, 2, 10);
        float[] o = emb();
        for (int t : new int[] {0, 2}) {
            for (int i = 0; i < D; i++) {
                int j = t * D + i;
                if (i < 2) {
                    assertNotEquals(o[j], e[j], "dim " + i + " of token " + t + " gets noise");
                } else {
                    assertEquals(o[j], e[j]);
                }
            }
        }
        assertUnselectedUntouched(e);
        assertArrayEquals(e, run(CorruptionType.RAND_NOISE_FIRST_N, 2, 10), "same seeds, same noise");
        float[] other = emb();
        new Corruption(CorruptionType.RAND_NOISE_FIRST_N, 2, 10, 8).applyRow(other, D, SEL, 11);
        assertNotEquals(e[0], other[0], "another seed, other noise");
    }

    @Test
    void randNoiseTopKTouchesTheTopKDims() {
        float[] e = run(CorruptionType.RAND_NOISE_TOP_K, 2, 10);
        float[] o = emb();
        boolean[] changed = new boolean[e.length];
        for (int i = 0; i < e.length; i++) {
            changed[i] = e[i] != o[i];
        }
        assertTrue(changed[1] && changed[3] && changed[13] && changed[12]);
        assertEquals(4, count(changed));
        assertUnselectedUntouched(e);
    }

    @Test
    void randNoiseRandNSharesItsRandomDimsAcrossTokensOfAPrompt() {
        float[] e = run(CorruptionType.RAND_NOISE_RAND_N, 2, 10);
        float[] o = emb();
        for (int i = 0; i < D; i++) {
            assertEquals(e[i] != o[i], e[2 * D + i] != o[2 * D + i], "dim " + i + " treated alike in both tokens");
        }
        int changed = 0;
        for (int i = 0; i < D; i++) {
            changed += e[i] != o[i] ? 1 : 0;
        }
        assertEquals(2, changed);
        assertUnselectedUntouched(e);
    }

    @Test
    void noiseHasTheRequestedScale() {
        int t = 4000;
        float[] e = new float[t];
        boolean[] sel = new boolean[t];
        java.util.Arrays.fill(sel, true);
        new Corruption(CorruptionType.RAND_NOISE_FIRST_N, 1, 5, 3).applyRow(e, 1, sel, 0);
        double s = 0;
        double s2 = 0;
        for (float v : e) {
            s += v;
            s2 += v * v;
        }
        double mean = s / t;
        double sd = Math.sqrt(s2 / t - mean * mean);
        assertEquals(0, mean, 0.25);
        assertEquals(5, sd, 0.25);
    }

    @Test
    void batchApplyMatchesRowApplyAndSkipsUnselectedBatches() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] a = emb();
            float[] b = emb();
            float[] both = new float[2 * a.length];
            System.arraycopy(a, 0, both, 0, a.length);
            System.arraycopy(b, 0, both, a.length, b.length);
            NDArray x = m.create(both, new Shape(2, 3, D));
            Corruption c = new Corruption(CorruptionType.RAND_NOISE_TOP_K, 2, 1, 5);
            NDArray y = c.apply(x, new boolean[][] {SEL, {false, false, false}}, new long[] {11, 12});
            c.applyRow(a, D, SEL, 11);
            float[] got = y.toFloatArray();
            assertArrayEquals(a, java.util.Arrays.copyOfRange(got, 0, a.length));
            assertArrayEquals(emb(), java.util.Arrays.copyOfRange(got, a.length, got.length));
            assertSame(x, c.apply(x, new boolean[2][3], new long[2]));
        }
    }

    @Test
    void namesRoundTripAndBadSettingsFail() {
        for (CorruptionType t : CorruptionType.values()) {
            assertEquals(t, CorruptionType.parse(t.id()));
        }
        assertEquals(CorruptionType.ZERO_OUT_TOP_K, CorruptionType.parse("zero_out_top_k"));
        assertThrows(IllegalArgumentException.class, () -> CorruptionType.parse("shuffle_all"));
        assertThrows(IllegalArgumentException.class, () -> Corruption.of(CorruptionType.RAND_NOISE_FIRST_N, 1, -1));
        assertEquals(3, Corruption.of(CorruptionType.ZERO_OUT_TOP_K, 1, 0).withTunedParameter(2.6).dims());
        assertEquals(2.6, Corruption.of(CorruptionType.RAND_NOISE_FIRST_N, 1, 0).withTunedParameter(2.6).strength());
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean v : b) {
            n += v ? 1 : 0;
        }
        return n;
    }
}

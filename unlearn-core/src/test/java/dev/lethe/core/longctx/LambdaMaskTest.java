package dev.lethe.core.longctx;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.model.AttentionPattern;
import dev.lethe.core.model.MaskPolicy;
import dev.lethe.core.model.MiddleTopK;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LambdaMaskTest {

    /** Spec §1.4 golden 1: n = 10, n_global = 2, n_local = 3 (rows i = 0..9, columns j ≤ i). */
    private static final String GOLDEN = "L / LL / LLL / GLLL / GGLLL / GG.LLL / GG..LLL / GG...LLL / GG....LLL / GG.....LLL";

    private static final LambdaMask MASK = LambdaMask.of(2, 3, 64);

    @Test
    void visibilityTableMatchesGolden() {
        StringBuilder sb = new StringBuilder();
        int[] keys = new int[10];
        for (int i = 0; i < 10; i++) {
            if (i > 0) {
                sb.append(" / ");
            }
            for (int j = 0; j <= i; j++) {
                LambdaMask.Visibility v = MASK.visibility(i, j);
                sb.append(switch (v) {
                    case LOCAL -> 'L';
                    case GLOBAL_FAR -> 'G';
                    case MASKED -> '.';
                });
                keys[i] += v == LambdaMask.Visibility.MASKED ? 0 : 1;
            }
            assertEquals(LambdaMask.Visibility.MASKED, MASK.visibility(i, i + 1), "future key");
        }
        assertEquals(GOLDEN, sb.toString());
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 5, 5, 5, 5, 5}, keys);
    }

    @Test
    void maskArraysEncodeTheGoldenTable() {
        try (NDManager m = NDManager.newBaseManager()) {
            AttentionPattern p = MASK.pattern(m, 10, 0, 0, null);
            float[] near = p.mask().toFloatArray();
            float[] far = p.stationary().mask().toFloatArray();
            assertEquals(2, p.stationary().count());
            String[] rows = GOLDEN.split(" / ");
            for (int i = 0; i < 10; i++) {
                int visible = 0;
                for (int j = 0; j < 10; j++) {
                    char want = j < rows[i].length() ? rows[i].charAt(j) : '.';
                    boolean nearOpen = near[i * 10 + j] == 0f;
                    boolean farOpen = j < 2 && far[i * 2 + j] == 0f;
                    assertEquals(want == 'L', nearOpen, "near i=" + i + " j=" + j);
                    assertEquals(want == 'G', farOpen, "far i=" + i + " j=" + j);
                    visible += (nearOpen ? 1 : 0) + (farOpen ? 1 : 0);
                }
                // cost golden: keys touched per row ≤ n_global + n_local
                assertTrue(visible <= 5, "row " + i + " reads " + visible + " keys");
            }
            // the clamped distance d' = min(d, i), d = n_local
            assertArrayEquals(new long[] {0, 1, 2, 3, 3, 3, 3, 3, 3, 3}, p.stationary().queryDistances().toLongArray());
        }
    }

    @Test
    void shortSequenceIsExactlyCausalAndEvictedDecodingSeesSinkAsFar() {
        try (NDManager m = NDManager.newBaseManager()) {
            AttentionPattern p = MASK.pattern(m, 3, 0, 0, null);
            assertNull(p.stationary(), "T ≤ n_local: no far keys");
            assertArrayEquals(MaskPolicy.CAUSAL.additiveMask(m, 3, 0, null).toFloatArray(), p.mask().toFloatArray());
            // a sink-window cache holding positions {0, 1} + {7, 8}; query at position 9
            AttentionPattern d = MASK.pattern(m, 1, 4, 5, null);
            assertArrayEquals(new float[] {MaskPolicy.BLOCKED, MaskPolicy.BLOCKED, 0, 0, 0}, d.mask().toFloatArray());
            assertArrayEquals(new float[] {0, 0}, d.stationary().mask().toFloatArray());
        }
    }

    @Test
    void topKCandidatesAreTheLastRowsMiddleAndCostStaysBounded() {
        LambdaMask topK = LambdaMask.builder().setGlobal(2).setLocal(3).setMaxPositions(64).optTopK(2, 0, 1000, 3).build();
        assertEquals(3, topK.distance(), "d defaults to n_local");
        try (NDManager m = NDManager.newBaseManager()) {
            AttentionPattern p = topK.pattern(m, 10, 0, 0, null);
            // the golden's last row "GG.....LLL": the five '.' keys j = 2..6 are the candidates
            float[] cand = p.middle().candidates().toFloatArray();
            for (int j = 0; j < 10; j++) {
                assertEquals(j >= 2 && j <= 6, cand[j] == 0f, "candidate j=" + j);
            }
            float[] near = p.mask().toFloatArray();
            float[] far = p.stationary().mask().toFloatArray();
            for (int i = 0; i < 10; i++) {
                int visible = 0;
                for (int j = 0; j < 10; j++) {
                    visible += (near[i * 10 + j] == 0f ? 1 : 0) + (j < 2 && far[i * 2 + j] == 0f ? 1 : 0);
                }
                int added = i == 9 ? Math.min(2, 5) : 0; // only the last row gets middle keys
                // spec golden 5: keys touched per row ≤ n_global + n_local + k
                assertTrue(visible + added <= 2 + 3 + 2, "row " + i);
            }
            // short sequences have no middle keys
            assertNull(topK.pattern(m, 5, 0, 0, null).middle());
            assertEquals(64, topK.positionLimit(8));
        }
    }

    @Test
    void topKSelectionKeepsExactlyKWithEarlierSlotWinningTies() {
        float b = MaskPolicy.BLOCKED;
        float[] scores = {
            0.5f, 2f, b, 2f, 1f, 2f, // three-way tie at 2: slots 1 and 3 win
            b, 0.1f, b, b, b, b,     // fewer candidates than k
            b, b, b, b, b, b};       // none
        boolean[] keep = MiddleTopK.select(scores, 3, 6, 2);
        assertArrayEquals(new boolean[] {false, true, false, true, false, false}, java.util.Arrays.copyOfRange(keep, 0, 6));
        assertArrayEquals(new boolean[] {false, true, false, false, false, false}, java.util.Arrays.copyOfRange(keep, 6, 12));
        for (int s = 12; s < 18; s++) {
            assertFalse(keep[s]);
        }
        assertArrayEquals(new boolean[] {true, true, false, true, true, true}, MiddleTopK.select(scores, 1, 6, 10));
    }

    @Test
    void leftPaddingCountsFromEachRowsFirstRealToken() {
        try (NDManager m = NDManager.newBaseManager()) {
            // row 0 unpadded (10 tokens), row 1 has 4 pads then 6 tokens
            long[] pad = new long[20];
            java.util.Arrays.fill(pad, 0, 10, 1);
            java.util.Arrays.fill(pad, 14, 20, 1);
            AttentionPattern p = MASK.pattern(m, 10, 0, 0, m.create(pad, new ai.djl.ndarray.types.Shape(2, 10)));
            assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5},
                    p.positions().toLongArray());
            float[] near = p.mask().toFloatArray();
            String[] rows = GOLDEN.split(" / ");
            for (int t = 4; t < 10; t++) { // row 1's real query t sees the golden row t − 4, shifted by the pads
                for (int s = 0; s < 10; s++) {
                    int j = s - 4;
                    char want = j >= 0 && j < rows[t - 4].length() ? rows[t - 4].charAt(j) : '.';
                    assertEquals(want == 'L', near[100 + t * 10 + s] == 0f, "t=" + t + " s=" + s);
                }
            }
            // far keys: row 0's slots 0–1, row 1's slots 4–5 (its first two real tokens)
            assertEquals(6, p.stationary().count());
            assertArrayEquals(new long[] {0, 1, 2, 3, 4, 5, 0, 0, 0, 0, 0, 1}, p.stationary().keyPositions().toLongArray());
            float[] far = p.stationary().mask().toFloatArray();
            assertEquals(0f, far[60 + 9 * 6 + 4]); // row 1, query position 5 reads position 0 as far
            assertEquals(0f, far[60 + 9 * 6 + 5]);
            assertEquals(MaskPolicy.BLOCKED, far[60 + 9 * 6 + 3]); // a pad: never visible
        }
    }
}

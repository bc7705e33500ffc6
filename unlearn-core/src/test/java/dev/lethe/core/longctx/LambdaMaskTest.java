package dev.lethe.core.longctx;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.model.AttentionPattern;
import dev.lethe.core.model.MaskPolicy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
            assertArrayEquals(new long[] {0, 1, 2, 3, 3, 3, 3, 3, 3, 3}, p.stationary().queryDistances());
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
}

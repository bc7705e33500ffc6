package dev.lethe.core.unlearn;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.lm.TokenLogProbs;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForgetRetainPairingTest {

    final UnlearningData data = Fixtures.data(10, 7, 5);

    @Test
    void everyForgetRowOncePerEpochWithASmallerLastBatch() {
        ForgetRetainPairing p = new ForgetRetainPairing(data, 4, 11);
        assertEquals(3, p.batchesPerEpoch());
        for (int epoch = 0; epoch < 3; epoch++) {
            Set<Integer> seen = new HashSet<>();
            int[] sizes = new int[3];
            for (int k = 0; k < 3; k++) {
                ForgetRetainPairing.Selection s = p.select(epoch * 3L + k);
                assertEquals(epoch, s.epoch());
                sizes[k] = s.forget().length;
                for (int i : s.forget()) {
                    assertTrue(seen.add(i), "row " + i + " twice in epoch " + epoch);
                }
                assertEquals(s.forget().length, s.retain().length);
                for (int r : s.retain()) {
                    assertTrue(r >= 0 && r < data.retain().size());
                }
            }
            assertEquals(10, seen.size());
            assertArrayEquals(new int[] {4, 4, 2}, sizes);
        }
    }

    @Test
    void sameSeedSameBatchesInAnyCallOrder() {
        ForgetRetainPairing a = new ForgetRetainPairing(data, 3, 42);
        ForgetRetainPairing b = new ForgetRetainPairing(data, 3, 42);
        // b is asked backwards: the answer must not depend on what was asked before (resume)
        for (long i = 11; i >= 0; i--) {
            ForgetRetainPairing.Selection x = b.select(i);
            ForgetRetainPairing.Selection y = a.select(i);
            assertArrayEquals(y.forget(), x.forget());
            assertArrayEquals(y.retain(), x.retain());
            assertArrayEquals(y.alternative(), x.alternative());
        }
        ForgetRetainPairing c = new ForgetRetainPairing(data, 3, 43);
        boolean differs = false;
        for (long i = 0; i < 8; i++) {
            differs |= !Arrays.equals(a.select(i).forget(), c.select(i).forget());
        }
        assertTrue(differs, "another seed must give another order");
        // epochs are reshuffled
        assertFalse(Arrays.equals(order(a, 0), order(a, 1)));
    }

    private static int[] order(ForgetRetainPairing p, int epoch) {
        int per = p.batchesPerEpoch();
        return java.util.stream.IntStream.range(0, per)
                .flatMap(k -> Arrays.stream(p.select((long) epoch * per + k).forget())).toArray();
    }

    @Test
    void retainPartnersAreUniformAcrossTheRetainSet() {
        ForgetRetainPairing p = new ForgetRetainPairing(data, 5, 1);
        int[] counts = new int[data.retain().size()];
        for (long i = 0; i < 2000; i++) {
            for (int r : p.select(i).retain()) {
                counts[r]++;
            }
        }
        double expected = 2000.0 * 5 / counts.length;
        for (int c : counts) {
            assertEquals(expected, c, expected * 0.1, Arrays.toString(counts));
        }
    }

    @Test
    void batchesAreRightPaddedWithMaskedLabels() {
        ForgetRetainPairing p = new ForgetRetainPairing(data, 4, 0);
        try (NDManager m = NDManager.newBaseManager()) {
            ForgetRetainBatch b = p.batch(0, m);
            long[][] ids = Fixtures.matrix(b.forget().tokens().ids());
            long[][] mask = Fixtures.matrix(b.forget().tokens().attentionMask());
            long[][] labels = Fixtures.matrix(b.forget().labels());
            for (int i = 0; i < ids.length; i++) {
                LabeledRow row = data.forget().get(b.forgetIndices()[i]);
                long[] rowIds = row.ids();
                long[] rowLabels = row.labels();
                for (int t = 0; t < ids[i].length; t++) {
                    if (t < rowIds.length) {
                        assertEquals(rowIds[t], ids[i][t]);
                        assertEquals(1, mask[i][t]);
                        assertEquals(rowLabels[t], labels[i][t]);
                    } else {
                        assertEquals(Fixtures.PAD, ids[i][t]);
                        assertEquals(0, mask[i][t]);
                        assertEquals(TokenLogProbs.IGNORE, labels[i][t]);
                    }
                }
                assertEquals(row.promptLength(), b.forget().tokens().promptLengths()[i]);
            }
            assertEquals(4, b.retain().tokens().batchSize());
            assertEquals(4, b.alternative().tokens().batchSize());
        }
    }

    @Test
    void noRetainSetMeansNoRetainBatch() {
        UnlearningData forgetOnly = UnlearningData.of(data.forget(), List.of(), Fixtures.PAD);
        try (NDManager m = NDManager.newBaseManager()) {
            ForgetRetainBatch b = new ForgetRetainPairing(forgetOnly, 4, 0).batch(0, m);
            assertNull(b.retain());
            assertNull(b.alternative());
            assertThrows(IllegalStateException.class, () -> b.requireRetain("test"));
        }
    }

    @Test
    void malformedDataIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LabeledRow(new long[] {1, 2}, new long[] {1}));
        assertThrows(IllegalArgumentException.class, () -> UnlearningData.of(List.of(), data.retain(), 0));
        assertThrows(IllegalArgumentException.class, () -> UnlearningData.withAlternatives(data.forget(),
                data.retain(), data.retain().subList(0, 3), 0));
        assertThrows(IllegalArgumentException.class, () -> new ForgetRetainPairing(data, 0, 0));
    }
}

package dev.lethe.uld;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.text.QaEncoding;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForgetRetainSamplerTest {

    static List<QaEncoding> rows(int n, int offset) {
        List<QaEncoding> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int len = 3 + i % 4;
            int[] ids = new int[len];
            int[] labels = new int[len];
            for (int t = 0; t < len; t++) {
                ids[t] = offset + i;
                labels[t] = t < 2 ? QaEncoding.IGNORE : offset + i;
            }
            out.add(new QaEncoding(ids, labels, 2));
        }
        return out;
    }

    @Test
    void everyEpochInterleavesEachForgetRowWithItsShareOfRetainRows() {
        ForgetRetainSampler s = new ForgetRetainSampler(rows(6, 0), rows(12, 100), 4, 1, 7, 0, 0);
        assertEquals(2, s.retainPerForget());
        assertEquals(18, s.epochLength());
        assertEquals(5, s.stepsPerEpoch());
        for (int e = 0; e < 3; e++) {
            int[][] order = s.epoch(e);
            Map<Integer, Integer> f = new HashMap<>();
            Map<Integer, Integer> r = new HashMap<>();
            for (int i = 0; i < order.length; i++) {
                assertEquals(i % 3 == 0 ? 0 : 1, order[i][0], "forget, retain, retain, forget, …");
                (order[i][0] == 0 ? f : r).merge(order[i][1], 1, Integer::sum);
            }
            assertEquals(6, f.size(), "each forget row once per epoch");
            assertEquals(12, r.size(), "each retain row once per epoch");
        }
        assertNotEquals(List.of(s.epoch(0)[0][1], s.epoch(0)[3][1], s.epoch(0)[6][1]),
                List.of(s.epoch(1)[0][1], s.epoch(1)[3][1], s.epoch(1)[6][1]), "a fresh shuffle per epoch");
    }

    @Test
    void batchesAreAFunctionOfTheirIndexAlone() {
        ForgetRetainSampler a = new ForgetRetainSampler(rows(5, 0), rows(5, 100), 4, 2, 3, 0, 0);
        ForgetRetainSampler b = new ForgetRetainSampler(rows(5, 0), rows(5, 100), 4, 2, 3, 0, 0);
        try (NDManager m = NDManager.newBaseManager()) {
            for (long i = 11; i >= 0; i--) { // b is asked in reverse order
                ForgetRetainBatch x = a.batch(11 - i, m);
                ForgetRetainBatch y = b.batch(11 - i, m);
                assertEquals(a.entries(11 - i).size(), x.forgetRows() + x.retainRows());
                if (x.forget() != null) {
                    assertArrayEquals(x.forget().tokens().ids().toLongArray(), y.forget().tokens().ids().toLongArray());
                }
            }
            List<int[]> first = new ArrayList<>(b.entries(5));
            b.batch(0, m);
            b.batch(17, m);
            List<int[]> again = b.entries(5);
            for (int i = 0; i < first.size(); i++) {
                assertArrayEquals(first.get(i), again.get(i));
            }
        }
    }

    @Test
    void subBatchesArePaddedOnTheirOwnAndPaddingIsNeverLabelled() {
        ForgetRetainSampler s = new ForgetRetainSampler(rows(4, 10), rows(4, 50), 8, 1, 1, 99, 0);
        try (NDManager m = NDManager.newBaseManager()) {
            ForgetRetainBatch b = s.batch(0, m);
            assertEquals(4, b.forgetRows());
            assertEquals(4, b.retainRows());
            long[] ids = b.forget().tokens().ids().toLongArray();
            long[] mask = b.forget().tokens().attentionMask().toLongArray();
            long[] labels = b.forget().labels().toLongArray();
            for (int i = 0; i < ids.length; i++) {
                assertTrue(ids[i] >= 10 && ids[i] < 14 || ids[i] == 99 && mask[i] == 0 && labels[i] == -100);
            }
            ForgetRetainSampler fixed = new ForgetRetainSampler(rows(4, 10), rows(4, 50), 8, 1, 1, 99, 16);
            assertEquals(16, fixed.batch(0, m).retain().tokens().length(), "padLength pads to a fixed width");
        }
        ForgetRetainSampler noRetain = new ForgetRetainSampler(rows(4, 10), List.of(), 2, 1, 1, 0, 0);
        try (NDManager m = NDManager.newBaseManager()) {
            assertNull(noRetain.batch(0, m).retain());
            assertEquals(2, noRetain.stepsPerEpoch());
        }
    }
}

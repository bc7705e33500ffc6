package dev.lethe.uld;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PlausibilityFilterTest {

    static Set<Integer> kept(NDManager m, float[] logits, double r) {
        boolean[] keep = new PlausibilityFilter(r).plausible(m.create(logits)).toBooleanArray();
        Set<Integer> out = new TreeSet<>();
        for (int i = 0; i < keep.length; i++) {
            if (keep[i]) {
                out.add(i);
            }
        }
        return out;
    }

    @Test
    void topKDominatesWhenTheDistributionIsPeaked() {
        try (NDManager m = NDManager.newBaseManager()) {
            // V = 10, r = 0.2: k = 2. Only token 0 is within ln(5) = 1.609 of the max, but the top-2 {0, 1} are
            // kept: τ = min(2nd largest = 1.0, 5 − 1.609) = 1.0; 0.9 just below it stays out
            float[] z = {5f, 1f, 0.5f, -1f, 0f, -2f, 0.9f, -1f, 0.2f, 0.8f};
            assertEquals(Set.of(0, 1), kept(m, z, 0.2));
        }
    }

    @Test
    void relativeThresholdAloneWhenItIsTheLowerOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            // k = 2 gives {0, 6}; the relative threshold 5 − 1.609 = 3.39 is below 4.9, so τ = 3.39: 3.0 is out
            float[] z = {5f, 3f, 3f, 1f, 0f, -2f, 4.9f, -1f, 0.5f, 2f};
            assertEquals(Set.of(0, 6), kept(m, z, 0.2));
        }
    }

    @Test
    void tiesAtTheKthValueAreAllKept() {
        try (NDManager m = NDManager.newBaseManager()) {
            // k = 2; the 2nd largest value 2.0 is shared by tokens 1, 2, 3: τ = min(2, 5 − 1.609) = 2 keeps all three
            float[] z = {5f, 2f, 2f, 2f, 0f, -2f, 1.9f, -1f, 0.5f, 1f};
            assertEquals(Set.of(0, 1, 2, 3), kept(m, z, 0.2));
        }
    }

    @Test
    void relativeThresholdWidensTheSetBeyondK() {
        try (NDManager m = NDManager.newBaseManager()) {
            // k = 2, but 4.5, 4.0 and 3.5 are within ln(5) = 1.609 of the max 5.0: τ = 5 − 1.609 = 3.39
            float[] z = {5f, 4.5f, 4f, 3.5f, 3.3f, -2f, 0f, -1f, 0.5f, 1f};
            assertEquals(Set.of(0, 1, 2, 3), kept(m, z, 0.2));
        }
    }

    @Test
    void keepsExactlyFloorRTimesVWhenThePeakIsSharp() {
        try (NDManager m = NDManager.newBaseManager()) {
            int v = 32000;
            PlausibilityFilter f = new PlausibilityFilter(0.01);
            assertEquals(320, f.topCount(v), "k = 320 for V = 32000, r = 0.01 (uld.md §6.1)");
            Random r = new Random(3);
            float[] z = new float[v];
            for (int i = 0; i < v; i++) {
                z[i] = (float) r.nextGaussian();
            }
            z[17] = 60f; // only token 17 passes the relative threshold
            Set<Integer> keep = kept(m, z, 0.01);
            assertEquals(320, keep.size());
            Set<Integer> expected = new TreeSet<>();
            IntStream.range(0, v).boxed().sorted(Comparator.comparingDouble(i -> -z[i])).limit(320)
                    .forEach(expected::add);
            assertEquals(expected, keep);
        }
    }

    @Test
    void belowOneTopTokenOnlyTheRelativeThresholdCounts() {
        try (NDManager m = NDManager.newBaseManager()) {
            // V = 10, r = 0.05: k = 0; max + ln 0.05 = 5 − 3.0 = 2.0 (2.1 in, 1.9 out)
            float[] z = {5f, 2.1f, 1.9f, 4f, 0f, -2f, 3f, -1f, 0.5f, 1f};
            assertEquals(0, new PlausibilityFilter(0.05).topCount(10));
            assertEquals(Set.of(0, 1, 3, 6), kept(m, z, 0.05));
            assertEquals(10, kept(m, z, 1.0).size(), "r = 1 keeps everything");
        }
    }

    @Test
    void worksPerPositionOnBatchedLogits() {
        try (NDManager m = NDManager.newBaseManager()) {
            Random r = new Random(5);
            float[] z = new float[2 * 3 * 50];
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) (r.nextGaussian() * 3);
            }
            PlausibilityFilter f = new PlausibilityFilter(0.1);
            boolean[] batched = f.plausible(m.create(z, new Shape(2, 3, 50))).toBooleanArray();
            assertEquals(2 * 3 * 50, batched.length);
            for (int p = 0; p < 6; p++) {
                float[] row = Arrays.copyOfRange(z, p * 50, (p + 1) * 50);
                NDArray one = m.create(row);
                assertArrayEquals(f.plausible(one).toBooleanArray(), Arrays.copyOfRange(batched, p * 50, (p + 1) * 50));
            }
            assertThrows(IllegalArgumentException.class, () -> new PlausibilityFilter(0));
        }
    }
}

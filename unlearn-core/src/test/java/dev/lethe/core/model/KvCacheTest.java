package dev.lethe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cache's in-place buffers against the obvious reference, a cache that concatenates every pass onto
 * the whole array: the same keys, values, padding and slot masks to the bit, across capacity growths.
 */
class KvCacheTest {

    private static final int KV = 2;
    private static final int HD = 3;

    /** Random entries {@code [b, heads, t, HD]}: all distinct, so a misplaced one cannot go unnoticed. */
    private static NDArray entries(NDManager m, int b, int heads, int t, Random r) {
        float[] x = new float[b * heads * t * HD];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() * 2 - 1;
        }
        return m.create(x, new Shape(b, heads, t, HD));
    }

    /** The reference: {@code old} with {@code add} concatenated along {@code axis}, kept in {@code ref}. */
    private static NDArray concat(NDManager ref, NDArray old, NDArray add, int axis) {
        NDArray out = old == null ? add.duplicate() : old.concat(add, axis);
        out.attach(ref);
        if (old != null) {
            old.close();
        }
        return out;
    }

    @Test
    void longDecodeReadsExactlyWhatConcatenationWould() {
        int b = 2;
        int layers = 2;
        List<Integer> passes = new ArrayList<>(List.of(5, 3)); // a padded prompt, a chunk, then 41 single steps
        for (int i = 0; i < 41; i++) {
            passes.add(1);
        }
        Random r = new Random(7);
        try (NDManager root = NDManager.newBaseManager(); NDManager ref = root.newSubManager();
             KvCache cache = new KvCache(root, layers)) {
            NDArray[] refK = new NDArray[layers];
            NDArray[] refV = new NDArray[layers];
            NDArray refPad = null;
            Set<Long> capacities = new TreeSet<>();
            int length = 0;
            for (int p = 0; p < passes.size(); p++) {
                int t = passes.get(p);
                try (NDManager step = root.newSubManager()) {
                    long[] pad = new long[b * t];
                    java.util.Arrays.fill(pad, 1);
                    if (p == 0) { // row 1 is left-padded by two
                        pad[t] = 0;
                        pad[t + 1] = 0;
                    }
                    NDArray newPad = step.create(pad, new Shape(b, t));
                    NDArray keyPadding = cache.keyPadding(step, newPad);
                    refPad = concat(ref, refPad, newPad, 1);
                    assertSame(step, keyPadding.getManager(), "a pass's padding view belongs to the pass");
                    assertArrayEquals(refPad.toLongArray(), keyPadding.toLongArray(), "padding, pass " + p);
                    for (int l = 0; l < layers; l++) {
                        NDArray k = entries(step, b, KV, t, r);
                        NDArray v = entries(step, b, KV, t, r);
                        cache.append(l, k, v);
                        refK[l] = concat(ref, refK[l], k, 2);
                        refV[l] = concat(ref, refV[l], v, 2);
                        NDArray ks = cache.keys(step, l);
                        NDArray vs = cache.values(step, l);
                        assertSame(step, ks.getManager(), "a pass's key view belongs to the pass");
                        assertEquals(refK[l].getShape(), ks.getShape());
                        assertArrayEquals(refK[l].toFloatArray(), ks.toFloatArray(), "keys, pass " + p + " layer " + l);
                        assertArrayEquals(refV[l].toFloatArray(), vs.toFloatArray(), "values, pass " + p + " layer " + l);
                    }
                    capacities.add(cache.capacity(0));
                    cache.advance(step, t, null);
                }
                length += t;
                // the pass's manager (and its views) are gone; the cache's memory is not
                assertEquals(length, cache.length());
                assertArrayEquals(refPad.toLongArray(), cache.padding().toLongArray());
                for (int l = 0; l < layers; l++) {
                    assertEquals(new Shape(b, KV, length, HD), cache.keys(l).getShape());
                    assertArrayEquals(refK[l].toFloatArray(), cache.keys(l).toFloatArray());
                    assertArrayEquals(refV[l].toFloatArray(), cache.values(l).toFloatArray());
                }
            }
            // 5 → 10 → 20 → 40 → 80: doubling from the prompt, four growths along the way
            assertEquals(Set.of(5L, 10L, 20L, 40L, 80L), capacities);
        }
    }

    @Test
    void compressedLayerSlotMaskAndKeysGrowLikeConcatenation() {
        int heads = 4; // two query heads per kv head: a compressed layer stores them repeated
        int n = 10;
        int[][][] keep = {{{0, 3, 9}, {1, 2, 5, 6, 9}, {9}, {4, 8}}}; // up to 5 slots: filler in three heads
        int slots = 5;
        Random r = new Random(11);
        try (NDManager root = NDManager.newBaseManager(); NDManager ref = root.newSubManager();
             KvCache cache = new KvCache(root, 1)) {
            float[] k0;
            float[] v0;
            try (NDManager step = root.newSubManager()) {
                NDArray k = entries(step, 1, KV, n, r);
                NDArray v = entries(step, 1, KV, n, r);
                cache.append(0, k, v);
                cache.advance(step, n, null);
                k0 = k.toFloatArray();
                v0 = v.toFloatArray();
            }
            cache.retain(0, keep);
            NDArray refK = ref.create(gathered(k0, keep, heads, n, slots), new Shape(1, heads, slots, HD));
            NDArray refV = ref.create(gathered(v0, keep, heads, n, slots), new Shape(1, heads, slots, HD));
            float[] known = new float[heads * slots];
            for (int h = 0; h < heads; h++) {
                for (int i = keep[0][h].length; i < slots; i++) {
                    known[h * slots + i] = MaskPolicy.BLOCKED;
                }
            }
            NDArray refMask = ref.create(known, new Shape(1, heads, 1, slots)); // over the first W slots
            assertArrayEquals(refK.toFloatArray(), cache.keys(0).toFloatArray());
            assertArrayEquals(refV.toFloatArray(), cache.values(0).toFloatArray());
            for (int s = 0; s < 40; s++) {
                int t = s == 17 ? 2 : 1; // one two-token pass in the middle, single steps on both sides
                try (NDManager step = root.newSubManager()) {
                    long stored = cache.stored();
                    long layerSlots = cache.keys(0).getShape().get(2);
                    NDArray mask;
                    NDArray want;
                    if (t == 1) {
                        mask = cache.attentionMask(step, 0, null, 1);
                        // every slot past W is a real, visible token: open columns up to the new one
                        long open = layerSlots + 1 - refMask.getShape().get(3);
                        refMask = concat(ref, refMask, ref.zeros(new Shape(1, heads, 1, open)), 3);
                        want = refMask;
                    } else {
                        // the decoder's pass mask over every position, random so the column mapping shows
                        float[] pm = new float[(int) (t * (stored + t))];
                        for (int i = 0; i < pm.length; i++) {
                            pm[i] = r.nextBoolean() ? 0f : MaskPolicy.BLOCKED;
                        }
                        NDArray passMask = step.create(pm, new Shape(1, 1, t, stored + t));
                        mask = cache.attentionMask(step, 0, passMask, t);
                        long width = refMask.getShape().get(3);
                        long after = layerSlots + t - width;
                        want = refMask.broadcast(1, heads, t, width)
                                .concat(passMask.get(":, :, :, {}:", stored + t - after).broadcast(1, heads, t, after), 3);
                    }
                    assertSame(step, mask.getManager());
                    assertEquals(want.getShape(), mask.getShape(), "mask, step " + s);
                    assertArrayEquals(want.toFloatArray(), mask.toFloatArray(), "mask, step " + s);
                    NDArray k = entries(step, 1, KV, t, r);
                    NDArray v = entries(step, 1, KV, t, r);
                    cache.append(0, k, v);
                    cache.advance(step, t, null);
                    refK = concat(ref, refK, repeated(step, k, heads), 2);
                    refV = concat(ref, refV, repeated(step, v, heads), 2);
                    assertArrayEquals(refK.toFloatArray(), cache.keys(step, 0).toFloatArray(), "keys, step " + s);
                    assertArrayEquals(refV.toFloatArray(), cache.values(step, 0).toFloatArray(), "values, step " + s);
                }
            }
            assertEquals(new Shape(1, heads, slots + 41, HD), cache.keys(0).getShape());
            assertTrue(cache.capacity(0) >= slots + 41);
        }
    }

    @Test
    void sinkWindowMovesTheNewestKeysNextToTheSinkWithoutGrowing() {
        SinkWindow window = new SinkWindow(2, 4); // keeps 2 + 3 keys between passes
        try (NDManager root = NDManager.newBaseManager(); KvCache cache = new KvCache(root, 1, window)) {
            int length = 0;
            for (int p = 0; p < 20; p++) {
                int t = p == 0 ? 7 : 1;
                try (NDManager step = root.newSubManager()) {
                    NDArray k = positions(step, length, t, 0);
                    NDArray v = positions(step, length, t, 0.5f);
                    cache.append(0, k, v);
                    cache.advance(step, t, null);
                }
                length += t;
                List<Integer> kept = new ArrayList<>();
                for (int j = 0; j < length; j++) {
                    if (length <= window.capacity() || j < window.sink() || j >= length - (window.window() - 1)) {
                        kept.add(j);
                    }
                }
                assertEquals(kept.size(), cache.stored());
                try (NDManager s = root.newSubManager()) {
                    assertArrayEquals(expected(kept, 0), cache.keys(s, 0).toFloatArray(), "keys after pass " + p);
                    assertArrayEquals(expected(kept, 0.5f), cache.values(s, 0).toFloatArray(), "values after pass " + p);
                }
            }
            assertEquals(7, cache.capacity(0), "eviction reuses the prompt's buffer");
        }
    }

    @Test
    void decodingLeavesNothingOfItsPassesInTheCache() {
        // a transpose of a cache-owned array would land in the cache's manager and pin that copy of the
        // cache until the cache closes: the cache must hold the same arrays after 5 steps as after 40
        DecoderConfig c = DecoderConfig.llama(37, 32, 48, 2, 4, 2, 128);
        try (NDManager root = NDManager.newBaseManager(); Decoder d = Decoder.random(c, root, 3);
             KvCache cache = new KvCache(root, c.numHiddenLayers())) {
            try (NDManager step = root.newSubManager()) { // a left-padded prompt: the padding grows too
                NDArray ids = step.create(new long[] {0, 0, 5, 6, 7, 8, 9, 10, 11, 12}, new Shape(2, 5));
                NDArray mask = step.create(new long[] {0, 0, 1, 1, 1, 1, 1, 1, 1, 1}, new Shape(2, 5));
                d.forward(Decoder.Input.ids(ids).optAttentionMask(mask).optCache(cache));
            }
            int held = -1;
            for (int s = 0; s < 40; s++) {
                try (NDManager step = root.newSubManager()) {
                    d.forward(Decoder.Input.ids(step.create(new long[] {3 + s % 30, 4 + s % 30}, new Shape(2, 1)))
                            .optCache(cache));
                }
                if (s == 5) {
                    held = cache.manager().getManagedArrays().size();
                }
            }
            assertEquals(held, cache.manager().getManagedArrays().size(), "arrays the cache holds after 5 and 40 steps");
            assertEquals(45, cache.length());
            assertEquals(new Shape(2, 45), cache.padding().getShape());
        }
    }

    @Test
    void aFirstPaddedPassAfterUnpaddedOnesRecordsTheEarlierTokensAsReal() {
        try (NDManager root = NDManager.newBaseManager(); KvCache cache = new KvCache(root, 1)) {
            Random r = new Random(5);
            try (NDManager step = root.newSubManager()) {
                cache.append(0, entries(step, 2, KV, 4, r), entries(step, 2, KV, 4, r));
                cache.advance(step, 4, null);
            }
            try (NDManager step = root.newSubManager()) {
                NDArray pad = cache.keyPadding(step, step.create(new long[] {1, 0, 1, 1}, new Shape(2, 2)));
                assertArrayEquals(new long[] {1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1}, pad.toLongArray());
                cache.append(0, entries(step, 2, KV, 2, r), entries(step, 2, KV, 2, r));
                cache.advance(step, 2, null);
            }
            assertEquals(new Shape(2, 6), cache.padding().getShape());
        }
    }

    /** Entries {@code [1, KV, t, HD]} encoding their position: pos·100 + head·10 + d + offset. */
    private static NDArray positions(NDManager m, int from, int t, float offset) {
        float[] x = new float[KV * t * HD];
        for (int h = 0; h < KV; h++) {
            for (int i = 0; i < t; i++) {
                for (int d = 0; d < HD; d++) {
                    x[(h * t + i) * HD + d] = (from + i) * 100 + h * 10 + d + offset;
                }
            }
        }
        return m.create(x, new Shape(1, KV, t, HD));
    }

    private static float[] expected(List<Integer> kept, float offset) {
        float[] x = new float[KV * kept.size() * HD];
        for (int h = 0; h < KV; h++) {
            for (int i = 0; i < kept.size(); i++) {
                for (int d = 0; d < HD; d++) {
                    x[(h * kept.size() + i) * HD + d] = kept.get(i) * 100 + h * 10 + d + offset;
                }
            }
        }
        return x;
    }

    /** {@code kv [1, KV, n, HD]} gathered per query head to {@code [1, heads, slots, HD]}, fillers repeating the last kept. */
    private static float[] gathered(float[] kv, int[][][] keep, int heads, int n, int slots) {
        float[] out = new float[heads * slots * HD];
        for (int h = 0; h < heads; h++) {
            int g = h / (heads / KV);
            int[] cols = keep[0][h];
            for (int i = 0; i < slots; i++) {
                int col = cols[Math.min(i, cols.length - 1)];
                System.arraycopy(kv, (g * n + col) * HD, out, (h * slots + i) * HD, HD);
            }
        }
        return out;
    }

    /** New entries {@code [1, KV, t, HD]} with each kv head repeated for its query heads. */
    private static NDArray repeated(NDManager m, NDArray kv, int heads) {
        int t = (int) kv.getShape().get(2);
        float[] x = kv.toFloatArray();
        float[] out = new float[heads * t * HD];
        for (int h = 0; h < heads; h++) {
            System.arraycopy(x, (h / (heads / KV)) * t * HD, out, h * t * HD, t * HD);
        }
        return m.create(out, new Shape(1, heads, t, HD));
    }
}

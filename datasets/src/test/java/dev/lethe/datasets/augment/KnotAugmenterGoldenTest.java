package dev.lethe.datasets.augment;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The six UtK golden tests of long-context spec §3.4. */
class KnotAugmenterGoldenTest {

    static final int EOD = 2;
    // K0..K3 = 10..13 (up to 3 chunks), <D> 20, </D> 21, <S> 22, <s> 23, </S> 24, id alphabet 30..39
    static final UtkTokens TOK = new UtkTokens(EOD, new int[] {10, 11, 12, 13}, 20, 21, 22, 23, 24,
            new int[] {30, 31, 32, 33, 34, 35, 36, 37, 38, 39});

    static UtkConfig always(int n, boolean random, boolean partial) {
        return UtkConfig.builder().optProbability(1).optChunks(new int[] {n}, new double[] {1})
                .optRandomSplit(random).optPreservePartialOrder(partial).optSeed(3).build();
    }

    /** Three documents of content ids 100.., 200.., 300.. with their EODs. */
    static int[] packed(int... lengths) {
        List<Integer> out = new ArrayList<>();
        for (int d = 0; d < lengths.length; d++) {
            for (int i = 0; i < lengths[d] - 1; i++) {
                out.add(100 * (d + 1) + i);
            }
            out.add(EOD);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    static List<int[]> documents(int[] packed) {
        List<int[]> docs = new ArrayList<>();
        int s = 0;
        for (int i = 0; i < packed.length; i++) {
            if (packed[i] == EOD) {
                docs.add(Arrays.copyOfRange(packed, s, i + 1));
                s = i + 1;
            }
        }
        return docs;
    }

    @Test
    void identity() {
        int[] in = packed(7, 5, 9);
        UtkSample p0 = new KnotAugmenter(UtkConfig.builder().optProbability(0).build(), TOK).apply(in, 0);
        assertArrayEquals(in, p0.tokens());
        assertFalse(p0.augmented());
        UtkSample n1 = new KnotAugmenter(always(1, false, false), TOK).apply(in, 0);
        assertArrayEquals(in, n1.tokens());
        assertEquals(0, n1.lossMask()[0]);
        assertEquals(in.length - 1, Arrays.stream(n1.lossMask()).sum());
    }

    @Test
    void conservation() {
        for (boolean random : new boolean[] {false, true}) {
            for (long idx = 0; idx < 20; idx++) {
                int[] in = packed(10, 4, 13, 2, 8);
                UtkSample s = new KnotAugmenter(always(3, random, idx % 2 == 0), TOK).apply(in, idx);
                // strip independently of the spans: drop <D>…</D>, <S>…</S> and knots
                List<Integer> stripped = new ArrayList<>();
                boolean skip = false;
                for (int t : s.tokens()) {
                    if (t == TOK.docOpen() || t == TOK.sumOpen()) {
                        skip = true;
                    } else if (t == TOK.docClose() || t == TOK.sumClose()) {
                        skip = false;
                    } else if (!skip && !TOK.isKnot(t)) {
                        stripped.add(t);
                    }
                }
                List<Integer> spanned = new ArrayList<>();
                for (ChunkSpan c : s.chunks()) {
                    for (int i = c.start(); i < c.end(); i++) {
                        spanned.add(s.tokens()[i]);
                    }
                }
                assertEquals(spanned, stripped, "stripped stream = chunk contents in stream order");
                // regroup by document in original chunk order
                List<int[]> docs = documents(in);
                for (int d = 0; d < docs.size(); d++) {
                    final int dd = d;
                    List<Integer> rebuilt = new ArrayList<>();
                    s.chunks().stream().filter(c -> c.doc() == dd)
                            .sorted((a, b) -> Integer.compare(a.chunk(), b.chunk()))
                            .forEach(c -> {
                                for (int i = c.start(); i < c.end(); i++) {
                                    rebuilt.add(s.tokens()[i]);
                                }
                            });
                    assertArrayEquals(docs.get(d), rebuilt.stream().mapToInt(Integer::intValue).toArray());
                }
            }
        }
    }

    @Test
    void knotPairing() {
        int[] in = packed(10, 4, 13, 1, 8);
        UtkSample s = new KnotAugmenter(always(3, true, false), TOK).apply(in, 5);
        int[] t = s.tokens();
        int[] knotCount = new int[4];
        for (int x : t) {
            if (TOK.isKnot(x)) {
                knotCount[x - 10]++;
            }
        }
        int knottedDocs = 0;
        for (ChunkSpan c : s.chunks()) {
            if (c.chunks() < 2) {
                assertFalse(c.start() > 0 && TOK.isKnot(t[c.start() - 1]) && t[c.start() - 1] != TOK.knots()[0]
                        && c.chunk() == 0, "an unsplit document has no head knot");
                continue;
            }
            if (c.chunk() == 0) {
                knottedDocs++;
            }
            if (c.chunk() > 0) {
                assertEquals(TOK.knots()[2 * c.chunk() - 1], t[c.start() - 1], "head K_{2c-1} of " + c);
            } else {
                assertFalse(c.start() > 0 && TOK.isKnot(t[c.start() - 1]), "first chunk has no head: " + c);
            }
            if (c.chunk() < c.chunks() - 1) {
                assertEquals(TOK.knots()[2 * c.chunk()], t[c.end()], "tail K_{2c} of " + c);
            } else {
                assertFalse(c.end() < t.length && TOK.isKnot(t[c.end()]), "last chunk has no tail: " + c);
            }
        }
        assertTrue(knottedDocs >= 3);
        // exactly one tail K_{2c} and one head K_{2c+1} per interior boundary of each knotted document
        assertEquals(knotCount[0], knotCount[1]);
        assertEquals(knotCount[2], knotCount[3]);
        assertEquals(knottedDocs, knotCount[0]);
        assertEquals(knottedDocs, knotCount[2]);
    }

    @Test
    void backtrace() {
        int[] in = packed(10, 7, 13);
        for (long idx = 0; idx < 10; idx++) {
            UtkSample s = new KnotAugmenter(always(3, false, false), TOK).apply(in, idx);
            int[] t = s.tokens();
            for (int d = 0; d < 3; d++) {
                final int dd = d;
                List<ChunkSpan> mine = s.chunks().stream().filter(c -> c.doc() == dd).toList();
                ChunkSpan last = mine.get(mine.size() - 1); // stream order
                // ids from the <D> headers, in original chunk order
                List<Integer> expected = new ArrayList<>();
                for (ChunkSpan c : mine.stream().sorted((a, b) -> Integer.compare(a.chunk(), b.chunk())).toList()) {
                    int headerEnd = c.start() - (c.chunk() > 0 ? 1 : 0) - 1;
                    assertEquals(TOK.docClose(), t[headerEnd]);
                    assertEquals(TOK.docOpen(), t[headerEnd - 7]);
                    if (!expected.isEmpty()) {
                        expected.add(TOK.sumSep());
                    }
                    for (int i = headerEnd - 6; i < headerEnd; i++) {
                        expected.add(t[i]);
                    }
                }
                int p = last.end() + (last.chunk() < last.chunks() - 1 ? 1 : 0);
                assertEquals(TOK.sumOpen(), t[p], "summary right after the last-appearing chunk");
                List<Integer> listed = new ArrayList<>();
                for (p = p + 1; t[p] != TOK.sumClose(); p++) {
                    listed.add(t[p]);
                }
                assertEquals(expected, listed);
            }
        }
    }

    @Test
    void lossMaskOnHandBuiltThreeDocuments() {
        // doc A = 100 101 102 103 EOD in two chunks (ids 33 34 | 31 32), doc B = 200 EOD whole,
        // doc C = 300 301 EOD whole and last; A's chunk 1 comes first, then B, then A's chunk 0 + summary, then C
        int[] seq = {
            20, 31, 32, 21, 11, 102, 103, 2,   // <D> id </D> K1 | 102 103 EOD
            200, 2,                            // doc B
            20, 33, 34, 21, 100, 101, 10,      // <D> id </D> | 100 101 K0
            22, 33, 34, 23, 31, 32, 24,        // <S> 33 34 <s> 31 32 </S>
            300, 301, 2};                      // doc C
        int[] expected = {
            0, 0, 0, 0, 0, 0, 1, 1,
            1, 1,
            0, 0, 0, 0, 1, 1, 0,
            0, 1, 1, 1, 1, 1, 1,
            0, 1, 1};
        assertArrayEquals(expected, KnotAugmenter.lossMask(seq, TOK));
    }

    @Test
    void determinismAndFinalChunkAtEnd() {
        Random r = new Random(1);
        for (long idx = 0; idx < 30; idx++) {
            int[] in = packed(3 + r.nextInt(12), 3 + r.nextInt(12), 3 + r.nextInt(12), 3 + r.nextInt(12));
            UtkConfig cfg = UtkConfig.builder().optProbability(0.8).optChunks(new int[] {1, 2, 3},
                    new double[] {0.3, 0.3, 0.4}).optRandomSplit(idx % 2 == 0).optSeed(11).build();
            UtkSample a = new KnotAugmenter(cfg, TOK).apply(in, idx);
            UtkSample b = new KnotAugmenter(cfg, TOK).apply(in.clone(), idx);
            assertArrayEquals(a.tokens(), b.tokens());
            assertArrayEquals(a.lossMask(), b.lossMask());
            if (a.augmented()) {
                ChunkSpan last = a.chunks().get(a.chunks().size() - 1);
                assertEquals(3, last.doc());
                assertEquals(last.chunks() - 1, last.chunk());
                assertEquals(EOD, a.tokens()[last.end() - 1]);
            }
        }
        UtkConfig cfg = always(3, false, false);
        int[] in = packed(10, 10, 10);
        assertFalse(Arrays.equals(new KnotAugmenter(cfg, TOK).apply(in, 1).tokens(),
                new KnotAugmenter(cfg, TOK).apply(in, 2).tokens()), "different index, different sample");
    }

    @Test
    void truncatesToMaxLength() {
        UtkConfig cfg = UtkConfig.builder().optProbability(1).optChunks(new int[] {2}, new double[] {1})
                .optMaxLength(16).build();
        UtkSample s = new KnotAugmenter(cfg, TOK).apply(packed(10, 10, 10), 0);
        assertEquals(16, s.tokens().length);
        assertEquals(16, s.lossMask().length);
        s.chunks().forEach(c -> assertTrue(c.end() <= 16));
    }
}

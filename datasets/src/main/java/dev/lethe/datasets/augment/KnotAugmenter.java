package dev.lethe.datasets.augment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Applies Untie-the-Knots to packed sequences (long-context §3.1):
 * <ol>
 *   <li>with probability p (else the sample is returned unchanged), split at EOD into documents (each keeps
 *       its EOD; a trailing remainder is a document too);</li>
 *   <li>chunk each document into n parts (n drawn per document; documents shorter than n stay whole);</li>
 *   <li>knot: chunk c gets head K_{2c−1} when c &gt; 0 and tail K_{2c} when it is not the last chunk;</li>
 *   <li>shuffle all chunks; the last chunk of the last document stays at the end; optionally each document keeps
 *       its chunks' relative order;</li>
 *   <li>backtrace: each chunk of a document with ≥ 2 chunks is prefixed by {@code <D> id </D>}, and right after
 *       the document's last-appearing chunk comes {@code <S> id_0 <s> id_1 … </S>} in original order;</li>
 *   <li>truncate to maxLength; compute the loss mask ({@link #lossMask}).</li>
 * </ol>
 * If no document ends up with ≥ 2 chunks the sample is unchanged. RNG per sample: seed·100000 + index.
 */
public final class KnotAugmenter {

    private final UtkConfig config;
    private final UtkTokens tokens;

    public KnotAugmenter(UtkConfig config, UtkTokens tokens) {
        this.config = config;
        this.tokens = tokens;
    }

    private record Chunk(int doc, int index, int count, int[] content) {}

    /** Augments packed sequence {@code packed}, the {@code index}-th sample of the dataset. */
    public UtkSample apply(int[] packed, long index) {
        Random r = new Random(config.seed() * 100_000L + index);
        if (!(r.nextDouble() < config.probability())) {
            return unchanged(packed);
        }
        List<int[]> docs = splitDocuments(packed);
        List<List<Chunk>> byDoc = new ArrayList<>();
        boolean anySplit = false;
        for (int d = 0; d < docs.size(); d++) {
            int[] doc = docs.get(d);
            int n = Math.min(drawChunkCount(r), tokens.maxChunks());
            if (doc.length < n) {
                n = 1;
            }
            anySplit |= n >= 2;
            int[] bounds = boundaries(r, doc.length, n);
            List<Chunk> cs = new ArrayList<>();
            for (int c = 0; c < n; c++) {
                cs.add(new Chunk(d, c, n, Arrays.copyOfRange(doc, bounds[c], bounds[c + 1])));
            }
            byDoc.add(cs);
        }
        if (!anySplit) {
            return unchanged(packed);
        }
        List<Chunk> order = shuffle(r, byDoc);
        int[][][] ids = new int[byDoc.size()][][];
        if (config.backtrace()) {
            Set<String> used = new HashSet<>();
            for (int d = 0; d < byDoc.size(); d++) {
                int n = byDoc.get(d).size();
                if (n >= 2) {
                    ids[d] = new int[n][];
                    for (int c = 0; c < n; c++) {
                        int[] id;
                        do {
                            id = new int[config.idLength()];
                            for (int i = 0; i < id.length; i++) {
                                id[i] = tokens.idAlphabet()[r.nextInt(tokens.idAlphabet().length)];
                            }
                        } while (!used.add(Arrays.toString(id)));
                        ids[d][c] = id;
                    }
                }
            }
        }
        int[] lastSeen = new int[byDoc.size()];
        for (int i = 0; i < order.size(); i++) {
            lastSeen[order.get(i).doc()] = i;
        }
        IntList out = new IntList();
        List<ChunkSpan> spans = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            Chunk ch = order.get(i);
            boolean knotted = ch.count() >= 2;
            if (knotted && ids[ch.doc()] != null) {
                out.add(tokens.docOpen());
                out.addAll(ids[ch.doc()][ch.index()]);
                out.add(tokens.docClose());
            }
            if (knotted && ch.index() > 0) {
                out.add(tokens.knots()[2 * ch.index() - 1]);
            }
            int start = out.size();
            out.addAll(ch.content());
            spans.add(new ChunkSpan(ch.doc(), ch.index(), ch.count(), start, out.size()));
            if (knotted && ch.index() < ch.count() - 1) {
                out.add(tokens.knots()[2 * ch.index()]);
            }
            if (knotted && ids[ch.doc()] != null && lastSeen[ch.doc()] == i) {
                out.add(tokens.sumOpen());
                int[][] docIds = ids[ch.doc()];
                for (int c = 0; c < docIds.length; c++) {
                    if (c > 0) {
                        out.add(tokens.sumSep());
                    }
                    out.addAll(docIds[c]);
                }
                out.add(tokens.sumClose());
            }
        }
        int[] result = out.toArray();
        if (config.maxLength() > 0 && result.length > config.maxLength()) {
            result = Arrays.copyOf(result, config.maxLength());
            int limit = result.length;
            spans = spans.stream().filter(s -> s.start() < limit)
                    .map(s -> new ChunkSpan(s.doc(), s.chunk(), s.chunks(), s.start(), Math.min(s.end(), limit)))
                    .toList();
        }
        return new UtkSample(result, lossMask(result, tokens), spans, true);
    }

    /**
     * The UtK loss mask of an augmented sequence: 0 at position 0, on knot labels and on the label after a knot
     * input, on every label inside {@code <D> … </D>} (ids are unpredictable where they first appear), on the
     * label {@code <S>} and on the label after the input {@code </S>}; 1 elsewhere — so ordinary text and the id
     * sequence inside {@code <S> … </S>} (with its separators and {@code </S>}) are supervised.
     */
    public static int[] lossMask(int[] seq, UtkTokens tokens) {
        int[] mask = new int[seq.length];
        Arrays.fill(mask, 1);
        if (seq.length > 0) {
            mask[0] = 0;
        }
        boolean inHeader = false;
        for (int t = 0; t < seq.length; t++) {
            int tok = seq[t];
            if (tok == tokens.docOpen()) {
                inHeader = true;
            }
            if (inHeader) {
                mask[t] = 0;
            }
            if (tok == tokens.docClose()) {
                inHeader = false;
            }
            if (tokens.isKnot(tok)) {
                mask[t] = 0;
                if (t + 1 < seq.length) {
                    mask[t + 1] = 0;
                }
            }
            if (tok == tokens.sumOpen()) {
                mask[t] = 0;
            }
            if (tok == tokens.sumClose() && t + 1 < seq.length) {
                mask[t + 1] = 0;
            }
        }
        return mask;
    }

    private UtkSample unchanged(int[] packed) {
        int[] mask = new int[packed.length];
        Arrays.fill(mask, 1);
        if (mask.length > 0) {
            mask[0] = 0;
        }
        return new UtkSample(packed, mask, List.of(), false);
    }

    private List<int[]> splitDocuments(int[] packed) {
        List<int[]> docs = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < packed.length; i++) {
            if (packed[i] == tokens.eod()) {
                docs.add(Arrays.copyOfRange(packed, start, i + 1));
                start = i + 1;
            }
        }
        if (start < packed.length) {
            docs.add(Arrays.copyOfRange(packed, start, packed.length));
        }
        return docs;
    }

    private int drawChunkCount(Random r) {
        double total = Arrays.stream(config.chunkWeights()).sum();
        double u = r.nextDouble() * total;
        for (int i = 0; i < config.chunkCounts().length; i++) {
            u -= config.chunkWeights()[i];
            if (u < 0) {
                return config.chunkCounts()[i];
            }
        }
        return config.chunkCounts()[config.chunkCounts().length - 1];
    }

    /** n+1 boundaries 0 = b_0 < b_1 < … < b_n = len. */
    private int[] boundaries(Random r, int len, int n) {
        int[] b = new int[n + 1];
        b[n] = len;
        if (n == 1) {
            return b;
        }
        if (config.randomSplit()) {
            List<Integer> positions = new ArrayList<>();
            for (int p = 1; p < len; p++) {
                positions.add(p);
            }
            Collections.shuffle(positions, r);
            List<Integer> cut = new ArrayList<>(positions.subList(0, n - 1));
            Collections.sort(cut);
            for (int k = 1; k < n; k++) {
                b[k] = cut.get(k - 1);
            }
        } else {
            for (int k = 1; k < n; k++) {
                b[k] = (int) Math.round((double) k * len / n);
            }
        }
        return b;
    }

    private List<Chunk> shuffle(Random r, List<List<Chunk>> byDoc) {
        List<Chunk> lastDoc = byDoc.get(byDoc.size() - 1);
        Chunk fixed = lastDoc.get(lastDoc.size() - 1);
        List<Chunk> order = new ArrayList<>();
        if (config.preservePartialOrder()) {
            List<Integer> labels = new ArrayList<>();
            for (List<Chunk> cs : byDoc) {
                for (Chunk c : cs) {
                    if (c != fixed) {
                        labels.add(c.doc());
                    }
                }
            }
            Collections.shuffle(labels, r);
            int[] next = new int[byDoc.size()];
            for (int d : labels) {
                order.add(byDoc.get(d).get(next[d]++));
            }
        } else {
            for (List<Chunk> cs : byDoc) {
                for (Chunk c : cs) {
                    if (c != fixed) {
                        order.add(c);
                    }
                }
            }
            Collections.shuffle(order, r);
        }
        order.add(fixed);
        return order;
    }

    /** Growable int array (avoids boxing on long sequences). */
    private static final class IntList {
        private int[] a = new int[64];
        private int n;

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        void addAll(int[] vs) {
            for (int v : vs) {
                add(v);
            }
        }

        int size() {
            return n;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}

package dev.lethe.eval.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lethe.core.kv.MatrixEntropy;
import dev.lethe.core.kv.UncompCalibration;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.KvCache;

import java.util.ArrayList;
import java.util.List;

/**
 * UNComp's truncated matrix entropy of a decoder's representations (spec long-context §2.1): per layer of
 * the residual stream (index 0 = embeddings), and per layer and head of the post-RoPE query states (UNComp's
 * input, one per query head) and keys (one per kv head). Queries and keys are read back from a KV cache,
 * so nothing in the model changes. Compare the target M with the unlearned M̂ on forget vs retain prompts
 * ({@link EntropyReport}): a method that collapses representations on forget inputs shows an entropy drop
 * there only.
 */
public final class MatrixEntropyProbe {

    /** A probed representation; each is a {@code [layer][unit]} matrix of entropies. */
    public enum Stream {
        /** Residual stream after each layer, one unit; row 0 is the embedding lookup, row l the output of block l. */
        HIDDEN("hidden"),
        /** Post-RoPE query states of block l + 1 (row l), one unit per query head: what UNComp itself reads. */
        QUERIES("queries"),
        /** Post-RoPE keys of block l + 1 (row l), one unit per kv head. */
        KEYS("keys");

        private final String id;

        Stream(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        /**
         * The first row that counts as a layer's computation: the hidden stream's row 0 is the embedding
         * table looked up at the prompt's tokens, not anything a layer computed from it.
         */
        public int firstLayer() {
            return this == HIDDEN ? 1 : 0;
        }

        /** A row's name in tables: "emb", then blocks counted from 1. */
        public String rowLabel(int row) {
            if (this == HIDDEN) {
                return row == 0 ? "emb" : Integer.toString(row);
            }
            return Integer.toString(row + 1);
        }
    }

    private final int rank;

    /**
     * @param rank truncation k, capped at each matrix's width; 0 keeps the reference's fraction of the width
     *     ({@code svdn = 32} at head dim 128, i.e. width / 4, as {@link UncompCalibration#defaultRank})
     */
    public MatrixEntropyProbe(int rank) {
        if (rank < 0) {
            throw new IllegalArgumentException("rank must be ≥ 0 (0 = width / 4), got " + rank);
        }
        this.rank = rank;
    }

    /** The truncation used on a matrix of {@code width} columns. */
    public int rankFor(int width) {
        return rank > 0 ? Math.min(rank, width) : UncompCalibration.defaultRank(width);
    }

    /**
     * Entropies of one prompt, or their mean over prompts.
     *
     * @param hidden {@code [layers + 1]} the residual stream after each layer
     * @param queries {@code [layers][heads]} each query head
     * @param keys {@code [layers][kvHeads]} each kv head
     */
    public record Profile(double[] hidden, double[][] queries, double[][] keys) {

        /** The stream as a {@code [layer][unit]} matrix (the hidden stream has one unit). */
        public double[][] of(Stream s) {
            return switch (s) {
                case HIDDEN -> {
                    double[][] out = new double[hidden.length][];
                    for (int l = 0; l < hidden.length; l++) {
                        out[l] = new double[] {hidden[l]};
                    }
                    yield out;
                }
                case QUERIES -> queries;
                case KEYS -> keys;
            };
        }

        /** The element-wise mean of same-shaped profiles. */
        public static Profile mean(List<Profile> ps) {
            if (ps.isEmpty()) {
                throw new IllegalArgumentException("no profiles to average");
            }
            Profile first = ps.get(0);
            double[] hidden = new double[first.hidden.length];
            double[][] queries = new double[first.queries.length][first.queries[0].length];
            double[][] keys = new double[first.keys.length][first.keys[0].length];
            for (Profile p : ps) {
                add(hidden, p.hidden, ps.size());
                for (int l = 0; l < queries.length; l++) {
                    add(queries[l], p.queries[l], ps.size());
                    add(keys[l], p.keys[l], ps.size());
                }
            }
            return new Profile(hidden, queries, keys);
        }

        private static void add(double[] acc, double[] x, int n) {
            for (int i = 0; i < acc.length; i++) {
                acc[i] += x[i] / n;
            }
        }
    }

    /** The mean profile over prompts. */
    public Profile profile(Decoder model, List<long[]> prompts) {
        return Profile.mean(perPrompt(model, prompts));
    }

    /**
     * One profile per prompt, in order: what an interval over prompts needs.
     *
     * @param prompts unpadded token ids, each at least 2 tokens long (one token has no spread)
     */
    public List<Profile> perPrompt(Decoder model, List<long[]> prompts) {
        int layers = model.layers().size();
        int heads = model.config().numAttentionHeads();
        int kv = model.config().numKeyValueHeads();
        int hd = model.config().headDim();
        int d = model.config().hiddenSize();
        List<Profile> out = new ArrayList<>(prompts.size());
        for (int p = 0; p < prompts.size(); p++) {
            long[] ids = prompts.get(p);
            int t = ids.length;
            if (t < 2) {
                throw new IllegalArgumentException("prompt " + p + " has " + t + " token(s); the probe needs at least 2");
            }
            double[] hidden = new double[layers + 1];
            double[][] queries = new double[layers][heads];
            double[][] keys = new double[layers][kv];
            try (NDManager m = model.manager().newSubManager(); KvCache cache = new KvCache(m, layers)) {
                cache.observeQueries(t); // every position: the entropy is over the whole prompt
                NDArray x = m.create(ids, new Shape(1, t));
                Decoder.Output o = model.forward(Decoder.Input.ids(x).optCache(cache).optHiddenStates(true)
                        .optLogits(false));
                for (int l = 0; l <= layers; l++) {
                    float[] h = o.hiddenStates().get(l).toFloatArray();
                    hidden[l] = MatrixEntropy.truncated(MatrixEntropy.rows(h, 0, t, d), rankFor(d));
                }
                for (int l = 0; l < layers; l++) {
                    // [1, H, T, hd], pre-scaled by 1/√hd: a constant factor the row normalisation removes
                    heads(cache.queries(l).toFloatArray(), queries[l], t, hd);
                    heads(cache.keys(l).toFloatArray(), keys[l], t, hd); // [1, KV, T, hd]
                }
            }
            out.add(new Profile(hidden, queries, keys));
        }
        return out;
    }

    private void heads(float[] flat, double[] out, int t, int hd) {
        for (int h = 0; h < out.length; h++) {
            out[h] = MatrixEntropy.truncated(MatrixEntropy.rows(flat, h * t * hd, t, hd), rankFor(hd));
        }
    }
}

package dev.lethe.core.kv;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.KvCache;

import java.util.List;

/**
 * UNComp's offline head calibration (spec §2.1–2.2): run each calibration prompt once, take every layer's
 * post-RoPE query states over the whole prompt, compute each query head's truncated matrix entropy
 * ({@link MatrixEntropy}) and group the heads with {@link HeadGroups#highEntropyHeads}.
 *
 * <p>The queries are read back from a {@link KvCache} observing the whole prompt, so the model runs
 * unchanged. Their 1/√d pre-scaling does not matter: the entropy normalises every token row.
 */
public final class UncompCalibration {

    private UncompCalibration() {}

    /** The reference truncation k = 32 at head dim 128, kept as the same fraction of smaller head dims. */
    public static int defaultRank(int headDim) {
        return Math.max(1, headDim / 4);
    }

    /**
     * Per calibration prompt, layer and query head, the truncated entropy of the head's query states.
     *
     * @param prompts unpadded token ids, each at least 2 tokens long
     * @param rank truncation k (capped at the head dim)
     * @return {@code [prompt][layer][head]}
     */
    public static double[][][] queryEntropy(Decoder model, List<long[]> prompts, int rank) {
        int layers = model.layers().size();
        int heads = model.config().numAttentionHeads();
        int hd = model.config().headDim();
        double[][][] out = new double[prompts.size()][layers][heads];
        for (int p = 0; p < prompts.size(); p++) {
            long[] ids = prompts.get(p);
            int t = ids.length;
            if (t < 2) {
                throw new IllegalArgumentException("calibration prompt " + p + " needs at least 2 tokens");
            }
            try (NDManager m = model.manager().newSubManager(); KvCache cache = new KvCache(m, layers)) {
                cache.observeQueries(t);
                model.forward(Decoder.Input.ids(m.create(ids, new Shape(1, t))).optCache(cache).optLogits(false));
                for (int l = 0; l < layers; l++) {
                    float[] q = cache.queries(l).toFloatArray(); // [1, H, T, hd]
                    for (int h = 0; h < heads; h++) {
                        out[p][l][h] = MatrixEntropy.truncated(MatrixEntropy.rows(q, h * t * hd, t, hd),
                                Math.min(rank, hd));
                    }
                }
            }
        }
        return out;
    }

    /** Per layer, the high-entropy query heads (ascending), from {@link #queryEntropy} over the prompts. */
    public static int[][] highEntropyHeads(Decoder model, List<long[]> prompts, int rank) {
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("head calibration needs at least one prompt");
        }
        return HeadGroups.highEntropyHeads(queryEntropy(model, prompts, rank));
    }
}

package dev.lethe.eval.probes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lethe.core.kv.MatrixEntropy;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.KvCache;

import java.util.List;

/**
 * UNComp's truncated matrix entropy of a decoder's representations, averaged over prompts: per layer of
 * the residual stream (index 0 = embeddings) and per layer and kv head of the post-RoPE keys (read back
 * from a KV cache, so nothing in the model changes). Compare the target M with the unlearned M̂ on
 * forget vs retain prompts: a method that collapses representations on forget inputs shows an entropy
 * drop there only.
 */
public final class MatrixEntropyProbe {

    private final int rank;

    /** @param rank truncation k (the reference uses 32 for head dim 128); capped at each matrix's width */
    public MatrixEntropyProbe(int rank) {
        this.rank = rank;
    }

    /**
     * @param hidden {@code [layers + 1]} mean entropy of the residual stream after each layer
     * @param keys {@code [layers][kvHeads]} mean entropy of each head's keys
     */
    public record Profile(double[] hidden, double[][] keys) {}

    public Profile profile(Decoder model, List<long[]> prompts) {
        int layers = model.layers().size();
        int kv = model.config().numKeyValueHeads();
        int hd = model.config().headDim();
        int d = model.config().hiddenSize();
        double[] hidden = new double[layers + 1];
        double[][] keys = new double[layers][kv];
        for (long[] ids : prompts) {
            int t = ids.length;
            try (NDManager m = model.manager().newSubManager(); KvCache cache = new KvCache(m, layers)) {
                NDArray x = m.create(ids, new Shape(1, t));
                Decoder.Output out = model.forward(Decoder.Input.ids(x).optCache(cache).optHiddenStates(true)
                        .optLogits(false));
                for (int l = 0; l <= layers; l++) {
                    float[] h = out.hiddenStates().get(l).toFloatArray();
                    hidden[l] += MatrixEntropy.truncated(MatrixEntropy.rows(h, 0, t, d), Math.min(rank, d))
                            / prompts.size();
                }
                for (int l = 0; l < layers; l++) {
                    float[] k = cache.keys(l).toFloatArray(); // [1, KV, T, hd]
                    for (int h = 0; h < kv; h++) {
                        keys[l][h] += MatrixEntropy.truncated(MatrixEntropy.rows(k, h * t * hd, t, hd),
                                Math.min(rank, hd)) / prompts.size();
                    }
                }
            }
        }
        return new Profile(hidden, keys);
    }
}

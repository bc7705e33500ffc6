package dev.lethe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.List;

/**
 * Concatenated q/k/v and gate/up weights of every layer, made once for a run of inference calls.
 *
 * <p>Attention and the feed-forward block fuse their input projections into one GEMM. In training the
 * concatenation is redone every step (weights change and gradients must flow to the HF-named
 * parameters); in decoding it would copy megabytes per generated token, so a {@link Decoder} session
 * builds this snapshot once and reuses it. It is valid only while the weights do not change; adapters
 * still add their deltas on top.
 *
 * @param qkv per layer {@code [(H + 2·KV)·hd, d]} or null
 * @param qkvBias per layer, or null
 * @param gateUp per layer {@code [2·F, d]} or null
 */
public record FusedWeights(List<NDArray> qkv, List<NDArray> qkvBias, List<NDArray> gateUp) {

    /** Snapshots {@code decoder}'s weights into {@code manager}. */
    public static FusedWeights of(Decoder decoder, NDManager manager) {
        List<NDArray> qkv = new ArrayList<>();
        List<NDArray> bias = new ArrayList<>();
        List<NDArray> gateUp = new ArrayList<>();
        for (DecoderLayer l : decoder.layers()) {
            Attention a = l.attention();
            qkv.add(owned(NDArrays.concat(new NDList(a.qProj().weight().getArray(), a.kProj().weight().getArray(),
                    a.vProj().weight().getArray()), 0), manager));
            bias.add(a.qProj().bias() == null ? null : owned(NDArrays.concat(new NDList(a.qProj().bias().getArray(),
                    a.kProj().bias().getArray(), a.vProj().bias().getArray()), 0), manager));
            FeedForward f = l.mlp();
            gateUp.add(owned(NDArrays.concat(new NDList(f.gateProj().weight().getArray(), f.upProj().weight().getArray()),
                    0), manager));
        }
        return new FusedWeights(qkv, bias, gateUp);
    }

    private static NDArray owned(NDArray a, NDManager m) {
        a.attach(m);
        return a;
    }
}

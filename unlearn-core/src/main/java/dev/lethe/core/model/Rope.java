package dev.lethe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;

/**
 * Rotary position embedding in the Hugging Face "rotate half" convention:
 * {@code x·cos + rotate_half(x)·sin}, with {@code rotate_half(x) = cat(−x₂, x₁)} over the two halves of the
 * head dimension and frequencies {@code θ^(−2i/d)} repeated over both halves.
 *
 * <p>Tables are computed once in float32 the way transformers computes them. The sign of
 * {@code rotate_half} is folded into a signed sine table so one application costs a slice-swap, two
 * multiplies and an add. The query tables are pre-multiplied by the attention scale 1/√d, which RoPE's
 * linearity allows, so attention needs no separate scaling op.
 */
public final class Rope implements AutoCloseable {

    private final int headDim;
    private final int maxPositions;
    private final NDArray cosK;
    private final NDArray sinK;
    private final NDArray cosQ;
    private final NDArray sinQ;

    public Rope(NDManager manager, int headDim, int maxPositions, double theta, float queryScale) {
        this.headDim = headDim;
        this.maxPositions = maxPositions;
        int half = headDim / 2;
        float[] cos = new float[maxPositions * headDim];
        float[] sin = new float[maxPositions * headDim];
        for (int i = 0; i < half; i++) {
            // transformers: 1 / base ** (arange(0, dim, 2).float() / dim), all in float32
            float exponent = (float) (2 * i) / (float) headDim;
            float invFreq = 1.0f / (float) Math.pow(theta, exponent);
            for (int t = 0; t < maxPositions; t++) {
                float f = (float) t * invFreq;
                float c = (float) Math.cos(f);
                float s = (float) Math.sin(f);
                cos[t * headDim + i] = c;
                cos[t * headDim + i + half] = c;
                sin[t * headDim + i] = -s; // sign of rotate_half's first half
                sin[t * headDim + i + half] = s;
            }
        }
        Shape shape = new Shape(maxPositions, headDim);
        cosK = manager.create(cos, shape);
        sinK = manager.create(sin, shape);
        cosQ = cosK.mul(queryScale);
        sinQ = sinK.mul(queryScale);
    }

    public int maxPositions() {
        return maxPositions;
    }

    /** Position tables for one forward pass, owned by {@code manager}. */
    public record Tables(NDArray cosQ, NDArray sinQ, NDArray cosK, NDArray sinK) {}

    /**
     * Tables for contiguous positions {@code start .. start+len-1}, shaped {@code [len, 1, headDim]} to
     * broadcast over {@code [B, T, heads, headDim]}.
     */
    public Tables contiguous(NDManager manager, int start, int len) {
        checkRange(start + len);
        NDIndex idx = new NDIndex("{}:{}", start, start + len);
        return new Tables(slice(cosQ, idx, manager, len), slice(sinQ, idx, manager, len),
                slice(cosK, idx, manager, len), slice(sinK, idx, manager, len));
    }

    private NDArray slice(NDArray table, NDIndex idx, NDManager manager, int len) {
        NDArray s = table.get(idx).reshape(len, 1, headDim);
        s.attach(manager); // the slice would otherwise live as long as the table
        return s;
    }

    /** Tables for per-row positions {@code [B, T]} (left-padded batches), shaped {@code [B, T, 1, headDim]}. */
    public Tables gather(NDArray positions) {
        NDManager m = positions.getManager();
        long max = positions.max().getLong();
        checkRange((int) max + 1);
        return new Tables(take(cosQ, positions, m), take(sinQ, positions, m),
                take(cosK, positions, m), take(sinK, positions, m));
    }

    private NDArray take(NDArray table, NDArray positions, NDManager m) {
        NDArray rows = positions.getNDArrayInternal().embedding(positions, table, SparseFormat.DENSE)
                .singletonOrThrow();
        NDArray r = rows.expandDims(2);
        r.attach(m);
        return r;
    }

    private void checkRange(int end) {
        if (end > maxPositions) {
            throw new IllegalArgumentException("Sequence needs position " + (end - 1)
                    + " but the model has max_position_embeddings = " + maxPositions);
        }
    }

    /** Rotates {@code x} of shape {@code [B, T, heads, headDim]}. */
    public static NDArray apply(NDArray x, NDArray cos, NDArray sin) {
        int half = (int) (x.getShape().get(x.getShape().dimension() - 1) / 2);
        NDArray swapped = x.get("..., {}:", half).concat(x.get("..., :{}", half), -1);
        return x.mul(cos).add(swapped.mul(sin));
    }

    @Override
    public void close() {
        cosK.close();
        sinK.close();
        cosQ.close();
        sinQ.close();
    }
}

package dev.lethe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;

/**
 * Rotary position embedding in the Hugging Face "rotate half" convention:
 * {@code x·cos + rotate_half(x)·sin}, with {@code rotate_half(x) = cat(−x₂, x₁)} over the two halves of the
 * head dimension and frequencies {@code θ^(−2i/d)} repeated over both halves.
 *
 * <p>Tables are computed once in float32 the way transformers computes them. Three tricks keep the op
 * count low (decoding one token is dominated by per-op overhead, not arithmetic):
 * <ul>
 *   <li>the sign of {@code rotate_half} is folded into a signed sine table, so the rotation is a half-swap
 *       (reshape, flip, reshape) instead of two slices, a negation and a concat;
 *   <li>the query tables are pre-multiplied by the attention scale 1/√d (RoPE is linear), so attention
 *       needs no separate scaling;
 *   <li>queries and keys are rotated together: per forward pass the tables are laid out per head
 *       ({@code H} scaled query heads, then {@code KV} key heads) once, and every layer applies them to
 *       its fused {@code [B, T, H+KV, hd]} q/k block in one go.
 * </ul>
 */
public final class Rope implements AutoCloseable {

    private final int headDim;
    private final int maxPositions;
    private final int heads;
    private final int kvHeads;
    private final NDArray cosK;
    private final NDArray sinK;
    private final NDArray cosQ;
    private final NDArray sinQ;

    public Rope(NDManager manager, int headDim, int maxPositions, double theta, float queryScale, int heads,
                int kvHeads) {
        this.headDim = headDim;
        this.maxPositions = maxPositions;
        this.heads = heads;
        this.kvHeads = kvHeads;
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
        Shape shape = new Shape(maxPositions, 1, headDim);
        cosK = manager.create(cos, shape).duplicate(); // libtorch-owned copies: see Scalars on from_blob
        sinK = manager.create(sin, shape).duplicate();
        float[] qc = cos.clone();
        float[] qs = sin.clone();
        for (int i = 0; i < qc.length; i++) {
            qc[i] *= queryScale;
            qs[i] *= queryScale;
        }
        cosQ = manager.create(qc, shape).duplicate();
        sinQ = manager.create(qs, shape).duplicate();
    }

    public int maxPositions() {
        return maxPositions;
    }

    /**
     * Position tables for one forward pass, owned by the pass's manager, laid out per head: shape
     * {@code [T, H+KV, hd]} (contiguous positions) or {@code [B, T, H+KV, hd]} (per-row positions).
     */
    public record Tables(NDArray cos, NDArray sin) {}

    /** Per-head tables for all positions, built once when they are small (decoding reads them every token). */
    private NDArray cosAll;
    private NDArray sinAll;
    private static final long PER_HEAD_CACHE_BYTES = 32L << 20;

    /** Tables for contiguous positions {@code start .. start+len-1}. */
    public Tables contiguous(NDManager manager, int start, int len) {
        checkRange(start + len);
        NDIndex idx = new NDIndex().addSliceDim(start, start + len);
        if (cosAll == null && 2L * maxPositions * (heads + kvHeads) * headDim * 4 <= PER_HEAD_CACHE_BYTES) {
            NDManager own = cosK.getManager();
            cosAll = perHead(cosQ, cosK, own, new Shape(maxPositions));
            sinAll = perHead(sinQ, sinK, own, new Shape(maxPositions));
        }
        if (cosAll != null) {
            NDArray c = cosAll.get(idx);
            NDArray s = sinAll.get(idx);
            c.attach(manager);
            s.attach(manager);
            return new Tables(c, s);
        }
        return new Tables(perHead(cosQ.get(idx), cosK.get(idx), manager, new Shape(len)),
                perHead(sinQ.get(idx), sinK.get(idx), manager, new Shape(len)));
    }

    /** Tables for per-row positions {@code [B, T]} (left-padded batches). */
    public Tables gather(NDArray positions) {
        NDManager m = positions.getManager();
        checkRange(positions);
        Shape bt = positions.getShape();
        return new Tables(perHead(take(cosQ, positions), take(cosK, positions), m, bt),
                perHead(take(sinQ, positions), take(sinK, positions), m, bt));
    }

    /**
     * Query-head tables for one position per query row, {@code positions} {@code [B|1, T]} int64 → shape
     * {@code [B|1, T, H, hd]}, owned by the positions' manager. LM-Infinite rotates a "stationary" query to a
     * fixed distance for its far starting keys (and its top-k middle keys); these tables do that rotation on
     * the un-rotated query block.
     */
    public Tables queryRows(NDArray positions) {
        checkRange(positions);
        Shape bt = positions.getShape();
        Shape lead = bt.addAll(new Shape(heads, headDim));
        return new Tables(take(cosQ, positions).broadcast(lead), take(sinQ, positions).broadcast(lead));
    }

    /**
     * Key-head tables that undo the rotation of positions {@code 0 .. len-1}, shape {@code [len, KV, hd]}:
     * R(−p) has the same cosine and the negated sine, so applying these to cached (rotated) keys gives back
     * the raw keys that LM-Infinite pairs with its stationary query.
     */
    public Tables keyInverse(NDManager manager, int len) {
        checkRange(len);
        NDIndex idx = new NDIndex().addSliceDim(0, len);
        Shape lead = new Shape(len, kvHeads, headDim);
        NDArray c = cosK.get(idx);
        NDArray s = sinK.get(idx);
        c.attach(manager); // slices of model-owned tables: move them to the pass before deriving more
        s.attach(manager);
        return new Tables(c.broadcast(lead), s.neg().broadcast(lead));
    }

    /** As {@link #keyInverse(NDManager, int)} for per-row positions {@code [B, n]} → {@code [B, n, KV, hd]}. */
    public Tables keyInverse(NDArray positions) {
        checkRange(positions);
        Shape lead = positions.getShape().addAll(new Shape(kvHeads, headDim));
        return new Tables(take(cosK, positions).broadcast(lead), take(sinK, positions).neg().broadcast(lead));
    }

    /** {@code [..., 1, hd]} query and key rows → {@code [..., H+KV, hd]}, owned by {@code m}. */
    private NDArray perHead(NDArray q, NDArray k, NDManager m, Shape lead) {
        if (q != cosQ && q != sinQ) {
            q.attach(m);
            k.attach(m);
        }
        NDArray out = NDArrays.concat(new NDList(q.broadcast(lead.addAll(new Shape(heads, headDim))),
                k.broadcast(lead.addAll(new Shape(kvHeads, headDim)))), lead.dimension());
        out.attach(m);
        return out;
    }

    private static NDArray take(NDArray table, NDArray positions) {
        Shape s = table.getShape();
        NDArray flat = table.reshape(s.get(0), s.get(2));
        NDArray rows = positions.getNDArrayInternal().embedding(positions, flat, SparseFormat.DENSE)
                .singletonOrThrow();
        flat.close();
        return rows.expandDims(-2); // [B, T, 1, hd]
    }

    /** As {@link #checkRange(int)} for the largest of {@code positions}. */
    private void checkRange(NDArray positions) {
        checkRange((int) positions.max().getLong() + 1);
    }

    private void checkRange(int end) {
        if (end > maxPositions) {
            throw new IllegalArgumentException("Sequence needs position " + (end - 1)
                    + " but the model has max_position_embeddings = " + maxPositions);
        }
    }

    /** Rotates {@code x} of shape {@code [B, T, heads, headDim]} with per-head tables. */
    public static NDArray apply(NDArray x, Tables t) {
        Shape s = x.getShape();
        int n = s.dimension();
        long half = s.get(n - 1) / 2;
        // cat(x₂, x₁): view the head dim as [2, half], flip the pair, view back
        NDArray swapped = x.reshape(s.slice(0, n - 1).addAll(new Shape(2, half))).flip(n - 1).reshape(s);
        return x.mul(t.cos()).add(swapped.mul(t.sin()));
    }

    @Override
    public void close() {
        if (cosAll != null) {
            cosAll.close();
            sinAll.close();
        }
        cosK.close();
        sinK.close();
        cosQ.close();
        sinQ.close();
    }
}

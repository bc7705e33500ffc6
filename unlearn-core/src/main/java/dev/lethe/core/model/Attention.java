package dev.lethe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head self-attention with RoPE, grouped-query attention, a pluggable mask and an optional KV cache.
 *
 * <p>Children carry the Hugging Face names {@code q_proj, k_proj, v_proj, o_proj}. When no adapter is
 * attached, q/k/v are computed by one matrix product over the concatenated weights: the concat costs a
 * copy of the (small) weights, the single larger GEMM saves more, and the parameters keep their HF names.
 */
public final class Attention extends AbstractBlock {

    private final int heads;
    private final int kvHeads;
    private final int headDim;
    private final Projection q;
    private final Projection k;
    private final Projection v;
    private final Projection o;

    public Attention(DecoderConfig c) {
        super((byte) 1);
        heads = c.numAttentionHeads();
        kvHeads = c.numKeyValueHeads();
        headDim = c.headDim();
        int d = c.hiddenSize();
        q = addChildBlock("q_proj", new Projection(d, heads * headDim, c.attentionBias()));
        k = addChildBlock("k_proj", new Projection(d, kvHeads * headDim, c.attentionBias()));
        v = addChildBlock("v_proj", new Projection(d, kvHeads * headDim, c.attentionBias()));
        o = addChildBlock("o_proj", new Projection(heads * headDim, d, false));
    }

    public Projection qProj() {
        return q;
    }

    public Projection kProj() {
        return k;
    }

    public Projection vProj() {
        return v;
    }

    public Projection oProj() {
        return o;
    }

    /**
     * @param x {@code [B, T, d]}
     * @param rope position tables for the T new positions
     * @param mask additive mask {@code [B|1, 1, T, S]}
     * @param cache KV cache to read and extend, or null
     */
    public NDArray apply(NDArray x, Rope.Tables rope, NDArray mask, KvCache cache, int layer, boolean training) {
        return apply(x, rope, mask, cache, layer, training, null, null);
    }

    /**
     * As above, with optional pre-fused q/k/v weights ({@link FusedWeights}); {@code mask} may be null when
     * nothing is masked (one query over a cache without padding).
     */
    public NDArray apply(NDArray x, Rope.Tables rope, NDArray mask, KvCache cache, int layer, boolean training,
                         NDArray fusedQkv, NDArray fusedBias) {
        return apply(x, rope, mask, cache, layer, training, fusedQkv, fusedBias, null);
    }

    /**
     * {@link StationaryKeys} resolved against the model's RoPE tables for one pass.
     *
     * @param count leading key slots read at the fixed distance (0: none, only top-k middle keys)
     * @param mask additive {@code [B|1, 1, T, count]}
     * @param query per-row query tables at the fixed distances ({@link Rope#queryRows})
     * @param keyInverse tables undoing the keys' rotation ({@link Rope#keyInverse})
     * @param middle the last query row's top-k middle keys in this layer, or null
     */
    public record Stationary(int count, NDArray mask, Rope.Tables query, Rope.Tables keyInverse, Middle middle) {

        /** These stationary keys with {@code middle} as the top-k middle keys. */
        public Stationary withMiddle(Middle middle) {
            return new Stationary(count, mask, query, keyInverse, middle);
        }
    }

    /**
     * {@link MiddleTopK} resolved for one pass.
     *
     * @param k keys kept per query head
     * @param candidates additive {@code [B|1, 1, 1, S]}, 0 on the candidates
     * @param query tables rotating a query to the fixed distance t, {@code [1, 1, H, hd]}
     * @param keyInverse tables undoing the rotation of all S stored keys
     */
    public record Middle(int k, NDArray candidates, Rope.Tables query, Rope.Tables keyInverse) {}

    /**
     * As above; with {@code stationary} non-null, its keys are scored a second time at a fixed distance and
     * softmaxed jointly with the ordinary keys (LM-Infinite). Null takes the unchanged causal path.
     */
    public NDArray apply(NDArray x, Rope.Tables rope, NDArray mask, KvCache cache, int layer, boolean training,
                         NDArray fusedQkv, NDArray fusedBias, Stationary stationary) {
        Shape s = x.getShape();
        long b = s.get(0);
        long t = s.get(1);
        // One GEMM over the concatenated q/k/v weights; adapters (LoRA) add their deltas on top, so a fresh
        // adapter (B = 0) leaves the result bit-identical. q and k are then rotated together as one
        // [B, T, H+KV, hd] block; v is split off first.
        NDArray w = fusedQkv;
        NDArray bias = fusedBias;
        if (w == null) {
            NDManager m = x.getManager();
            w = NDArrays.concat(new NDList(q.weight().getArray(), k.weight().getArray(), v.weight().getArray()), 0);
            w.attach(m);
            if (q.bias() != null) {
                bias = NDArrays.concat(new NDList(q.bias().getArray(), k.bias().getArray(), v.bias().getArray()), 0);
                bias.attach(m);
            }
        }
        NDArray qkv = Linear.linear(x, w, bias).singletonOrThrow();
        if (q.adapter() != null || k.adapter() != null || v.adapter() != null) {
            qkv = qkv.add(NDArrays.concat(new NDList(delta(q, x, training), delta(k, x, training),
                    delta(v, x, training)), -1));
        }
        NDList parts = qkv.reshape(b, t, heads + 2L * kvHeads, headDim).split(new long[] {heads + kvHeads}, 2);
        NDArray qk = parts.get(0);
        NDArray vs = parts.get(1);
        NDList rotated = Rope.apply(qk, rope).split(new long[] {heads}, 2);
        // [B, T, h, hd] → [B, h, T, hd]
        NDArray qs = rotated.get(0).transpose(0, 2, 1, 3);
        NDArray ks = rotated.get(1).transpose(0, 2, 1, 3);
        vs = vs.transpose(0, 2, 1, 3);
        if (cache != null) {
            cache.observe(layer, qs);
            cache.append(layer, ks, vs);
            // views of the whole cache owned by the pass's manager (the input's): what is derived from them
            // (transposes, slices) is freed with the pass instead of pinning cache memory until the cache closes
            ks = cache.keys(x.getManager(), layer);
            vs = cache.values(x.getManager(), layer);
        }
        NDArray ctx = stationary != null
                ? withStationary(qk, qs, ks, vs, mask, stationary)
                : context(masked(scores(qs, ks), mask).softmax(-1), vs);
        NDArray merged = ctx.transpose(0, 2, 1, 3).reshape(b, t, (long) heads * headDim);
        return o.apply(merged, training);
    }

    /**
     * Attention over the ordinary keys plus the stationary block: ⟨R(d')q, k_raw⟩ for the first
     * {@code count} keys, where k_raw = R(−j)·(cached R(j)k). One softmax runs over both score blocks, so
     * the result is attention over the union of the two visible sets. Top-k middle keys, when present, are
     * slots the ordinary mask blocks, so their fixed-distance scores replace the blocked ones in place.
     */
    private NDArray withStationary(NDArray qkRaw, NDArray qs, NDArray ks, NDArray vs, NDArray mask,
                                   Stationary st) {
        int n = st.count();
        NDArray qRaw = qkRaw.split(new long[] {heads}, 2).get(0); // [B, T, H, hd], not yet rotated
        NDArray near = masked(scores(qs, ks), mask);
        NDArray kRaw = null;
        if (st.middle() != null) {
            kRaw = raw(ks, st.middle().keyInverse());
            near = withMiddle(near, qRaw, kRaw, st.middle());
        }
        if (n == 0) {
            return context(near.softmax(-1), vs);
        }
        NDArray qStat = Rope.apply(qRaw, st.query()).transpose(0, 2, 1, 3);
        NDArray kFar = kRaw != null ? kRaw.get(":, :, :{}, :", n) : raw(ks.get(":, :, :{}, :", n), st.keyInverse());
        NDArray vFar = vs.get(":, :, :{}, :", n);
        NDArray far = masked(scores(qStat, kFar), st.mask());
        NDArray p = far.concat(near, -1).softmax(-1);
        NDList split = p.split(new long[] {n}, 3);
        return context(split.get(0), vFar).add(context(split.get(1), vs));
    }

    /** Cached (rotated) keys {@code [B, KV, S, hd]} with their rotation undone. */
    private static NDArray raw(NDArray ks, Rope.Tables inverse) {
        return Rope.apply(ks.transpose(0, 2, 1, 3), inverse).transpose(0, 2, 1, 3);
    }

    /**
     * The ordinary scores {@code near} {@code [B, H, T, S]} with the last row's k best middle keys (per head)
     * opened at the fixed distance t: their score becomes ⟨R(t)q, k_raw⟩. The choice is made in Java
     * ({@link MiddleTopK#select}): deterministic ties, and nothing to differentiate through.
     */
    private NDArray withMiddle(NDArray near, NDArray qRaw, NDArray kRaw, Middle mid) {
        Shape s = near.getShape();
        long b = s.get(0);
        int t = (int) s.get(2);
        int keysLen = (int) s.get(3);
        NDArray qLast = qRaw.get(":, -1:, :, :"); // [B, 1, H, hd]
        NDArray qAt = Rope.apply(qLast, mid.query()).transpose(0, 2, 1, 3);
        NDArray scored = scores(qAt, kRaw); // [B, H, 1, S]
        float[] candidate = scored.add(mid.candidates()).stopGradient().toFloatArray();
        boolean[] keep = MiddleTopK.select(candidate, (int) (b * heads), keysLen, mid.k());
        NDArray open = near.getManager().create(keep, new Shape(b, heads, 1, keysLen));
        NDArray last = NDArrays.where(open, scored, near.get(":, :, -1:, :"));
        // only the last query row changes; the earlier rows are kept as they are
        return t == 1 ? last : near.get(":, :, :-1, :").concat(last, 2);
    }

    /**
     * {@code [B, H, T, hd] × [B, KV, S, hd] → [B, H, T, S]}. Grouped queries share a key head: the group is
     * folded into the query axis and matmul broadcasts, instead of materialising repeated keys. KV is read
     * from the keys, as a compressed cache holds one key head per query head (then nothing is folded).
     */
    private NDArray scores(NDArray qs, NDArray ks) {
        long kv = ks.getShape().get(1);
        if (kv == heads) { // one key head per query head: nothing to fold (decoding pays per call, so no no-op reshapes)
            return qs.matMul(ks.transpose(0, 1, 3, 2));
        }
        Shape s = qs.getShape();
        long b = s.get(0);
        long t = s.get(2);
        long g = heads / kv;
        return qs.reshape(b, kv, g * t, headDim).matMul(ks.transpose(0, 1, 3, 2))
                .reshape(b, heads, t, ks.getShape().get(2));
    }

    /** {@code [B, H, T, S] × [B, KV, S, hd] → [B, H, T, hd]}, folding query groups onto shared value heads. */
    private NDArray context(NDArray p, NDArray vs) {
        long kv = vs.getShape().get(1);
        if (kv == heads) {
            return p.matMul(vs);
        }
        Shape s = p.getShape();
        long b = s.get(0);
        long t = s.get(2);
        long g = heads / kv;
        return p.reshape(b, kv, g * t, s.get(3)).matMul(vs).reshape(b, heads, t, headDim);
    }

    /** The adapter's output correction, or zeros of the projection's output width. */
    static NDArray delta(Projection p, NDArray x, boolean training) {
        if (p.adapter() != null) {
            return p.adapter().delta(x, training);
        }
        Shape s = x.getShape();
        return x.getManager().zeros(s.slice(0, s.dimension() - 1).add(p.outFeatures()), x.getDataType());
    }

    private static NDArray masked(NDArray scores, NDArray mask) {
        return mask == null ? scores : scores.add(mask);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        throw new UnsupportedOperationException("Attention needs position tables and a mask: call apply(...)");
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // Set by the decoder's initialiser.
    }
}

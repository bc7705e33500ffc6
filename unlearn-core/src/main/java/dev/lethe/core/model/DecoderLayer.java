package dev.lethe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** One pre-norm block: {@code x += attn(norm₁(x)); x += mlp(norm₂(x))}. */
public final class DecoderLayer extends AbstractBlock {

    private final RmsNorm inputNorm;
    private final Attention attention;
    private final RmsNorm postAttentionNorm;
    private final FeedForward mlp;

    public DecoderLayer(DecoderConfig c) {
        super((byte) 1);
        inputNorm = addChildBlock("input_layernorm", new RmsNorm(c.hiddenSize(), c.rmsNormEps()));
        attention = addChildBlock("self_attn", new Attention(c));
        postAttentionNorm = addChildBlock("post_attention_layernorm", new RmsNorm(c.hiddenSize(), c.rmsNormEps()));
        mlp = addChildBlock("mlp", new FeedForward(c));
    }

    public RmsNorm inputNorm() {
        return inputNorm;
    }

    public Attention attention() {
        return attention;
    }

    public RmsNorm postAttentionNorm() {
        return postAttentionNorm;
    }

    public FeedForward mlp() {
        return mlp;
    }

    public NDArray apply(NDArray x, Rope.Tables rope, NDArray mask, KvCache cache, int index, boolean training) {
        return apply(x, rope, mask, cache, index, training, null);
    }

    /** As above, using {@code fused} weights when given (inference only). */
    public NDArray apply(NDArray x, Rope.Tables rope, NDArray mask, KvCache cache, int index, boolean training,
                         FusedWeights fused) {
        return apply(x, rope, mask, cache, index, training, fused, null);
    }

    /** As above, with LM-Infinite's stationary keys when non-null (see {@link Attention.Stationary}). */
    public NDArray apply(NDArray x, Rope.Tables rope, NDArray mask, KvCache cache, int index, boolean training,
                         FusedWeights fused, Attention.Stationary stationary) {
        NDArray qkv = fused == null ? null : fused.qkv().get(index);
        NDArray qkvBias = fused == null ? null : fused.qkvBias().get(index);
        NDArray gateUp = fused == null ? null : fused.gateUp().get(index);
        NDArray h = x.add(attention.apply(inputNorm.apply(x), rope, mask, cache, index, training, qkv, qkvBias,
                stationary));
        return h.add(mlp.apply(postAttentionNorm.apply(h), training, gateUp));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        throw new UnsupportedOperationException("DecoderLayer needs position tables and a mask: call apply(...)");
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

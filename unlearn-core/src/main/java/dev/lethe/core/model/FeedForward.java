package dev.lethe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * SwiGLU feed-forward: {@code down(silu(gate(x)) ⊙ up(x))}. Gate and up share one GEMM over their
 * concatenated weights (see {@link Attention} for why); adapters add their deltas to it.
 */
public final class FeedForward extends AbstractBlock {

    private final int hidden;
    private final Projection gate;
    private final Projection up;
    private final Projection down;

    public FeedForward(DecoderConfig c) {
        super((byte) 1);
        hidden = c.intermediateSize();
        gate = addChildBlock("gate_proj", new Projection(c.hiddenSize(), hidden, false));
        up = addChildBlock("up_proj", new Projection(c.hiddenSize(), hidden, false));
        down = addChildBlock("down_proj", new Projection(hidden, c.hiddenSize(), false));
    }

    public Projection gateProj() {
        return gate;
    }

    public Projection upProj() {
        return up;
    }

    public Projection downProj() {
        return down;
    }

    public NDArray apply(NDArray x, boolean training) {
        return apply(x, training, null);
    }

    /** As above, with an optional pre-fused gate/up weight ({@link FusedWeights}). */
    public NDArray apply(NDArray x, boolean training, NDArray fusedGateUp) {
        NDArray w = fusedGateUp;
        if (w == null) {
            w = NDArrays.concat(new NDList(gate.weight().getArray(), up.weight().getArray()), 0);
            w.attach(x.getManager());
        }
        NDArray gu = Linear.linear(x, w, null).singletonOrThrow();
        if (gate.adapter() != null || up.adapter() != null) {
            // adapters add to the base GEMM (B = 0 leaves it bit-identical)
            gu = gu.add(NDArrays.concat(new NDList(Attention.delta(gate, x, training), Attention.delta(up, x, training)), -1));
        }
        NDList parts = gu.split(new long[] {hidden}, gu.getShape().dimension() - 1);
        NDArray g = parts.get(0);
        NDArray u = parts.get(1);
        NDArray silu = g.mul(Activation.sigmoid(g));
        return down.apply(silu.mul(u), training);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(apply(inputs.singletonOrThrow(), training));
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

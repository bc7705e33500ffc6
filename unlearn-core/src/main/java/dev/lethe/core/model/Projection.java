package dev.lethe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A linear map {@code y = x·Wᵀ + b} whose weight has the Hugging Face layout {@code [out, in]}.
 *
 * <p>Unlike DJL's {@link Linear} the shape is fixed at construction (we always know it from the config),
 * so weights can be set once from a checkpoint or a seeded initialiser. An optional {@link Adapter} adds a
 * low-rank update (LoRA) without touching the base weight.
 */
public final class Projection extends AbstractBlock {

    /** A trainable additive correction to a projection's output (LoRA implements it). */
    public interface Adapter {
        /** The correction for input {@code x}; same shape as the projection's output. */
        NDArray delta(NDArray x, boolean training);
    }

    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;
    private Adapter adapter;

    public Projection(int in, int out, boolean hasBias) {
        super((byte) 1);
        this.in = in;
        this.out = out;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
        bias = hasBias
                ? addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build())
                : null;
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias parameter, or {@code null} when the projection has none. */
    public Parameter bias() {
        return bias;
    }

    public Shape weightShape() {
        return new Shape(out, in);
    }

    public Adapter adapter() {
        return adapter;
    }

    public void setAdapter(Adapter adapter) {
        this.adapter = adapter;
    }

    /** Applies the projection (and its adapter, if any) to {@code x} of shape {@code [..., in]}. */
    public NDArray apply(NDArray x, boolean training) {
        NDArray y = Linear.linear(x, weight.getArray(), bias == null ? null : bias.getArray()).singletonOrThrow();
        if (adapter != null) {
            y = y.add(adapter.delta(x, training));
        }
        return y;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(apply(inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {s.slice(0, s.dimension() - 1).add(out)};
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        // Weights are set by Decoder's initialiser or checkpoint loader, never by DJL's initialisers.
    }
}

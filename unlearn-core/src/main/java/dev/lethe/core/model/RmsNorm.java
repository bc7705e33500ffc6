package dev.lethe.core.model;

import dev.lethe.core.util.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Root-mean-square layer norm, {@code x · rsqrt(mean(x²) + eps) · g}, as in Llama (DJL has none). */
public final class RmsNorm extends AbstractBlock {

    private final int dim;
    private final float eps;
    private final Parameter weight;

    public RmsNorm(int dim, double eps) {
        super((byte) 1);
        this.dim = dim;
        this.eps = (float) eps;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA).build());
    }

    public Parameter weight() {
        return weight;
    }

    public int dim() {
        return dim;
    }

    private NDArray epsArray;

    private NDArray dimArray;

    private NDArray one;

    /**
     * {@code x · rsqrt(‖x‖²/d + eps) · g}, as transformers' {@code LlamaRMSNorm} (a multiply by the reciprocal
     * root, not a divide). The mean square comes from one L2-norm reduction over the last axis (one read of x)
     * instead of squaring x into a temporary first; everything after it works on the small {@code [..., 1]}
     * per-row scale, so the full-size passes are the reduction and two multiplies. Multiplying (not dividing)
     * also keeps the backward pass short: a divide's gradient with respect to the divisor takes four more
     * full-size passes.
     */
    public NDArray apply(NDArray x) {
        if (epsArray == null) {
            // libtorch-owned scalars made once (see Scalars for why not add(float))
            epsArray = Scalars.scalar(weight.getArray(), eps);
            dimArray = Scalars.scalar(weight.getArray(), dim);
            one = Scalars.scalar(weight.getArray(), 1);
        }
        // large inputs (training, scoring): one reduction pass; tiny ones (decoding): fewest ops
        NDArray meanSquare = x.getShape().size() > 4096 ? x.norm(2, new int[] {-1}, true).square().div(dimArray)
                : x.square().mean(new int[] {-1}, true);
        // rsqrt as ATen computes it on CPU, 1 / sqrt(v), on the [..., 1] scale (DJL has no rsqrt); a result
        // belongs to its first operand's manager, so the quotient is moved from the weights' to the pass's
        NDArray inverseRms = one.div(meanSquare.add(epsArray).sqrt());
        inverseRms.attach(x.getManager());
        return x.mul(inverseRms).mul(weight.getArray());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(apply(inputs.singletonOrThrow()));
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

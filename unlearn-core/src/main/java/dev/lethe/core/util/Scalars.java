package dev.lethe.core.util;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a scalar that is safe inside an autograd graph.
 *
 * <p>Why this exists (a DJL 0.36 defect we found): {@code NDArray.mul(Number)} and friends wrap the Java
 * number in a temporary array created with {@code torch::from_blob} over a direct {@code ByteBuffer} and
 * close the wrapper right after the op. Closing drops the only Java reference to the buffer, yet the
 * autograd graph may have saved that scalar for the backward pass ({@code mul}, {@code div}, {@code pow} do).
 * If the garbage collector frees the buffer before {@code backward()}, the gradient reads freed memory:
 * NaN or silently wrong gradients, only sometimes. Here the scalar is made by {@code torch::full}, so
 * libtorch owns its memory and the graph keeps it alive.
 */
public final class Scalars {

    private Scalars() {}

    /** A 0-d array owned by libtorch, in {@code like}'s manager and dtype. */
    public static NDArray scalar(NDArray like, double value) {
        return like.getManager().full(new Shape(), (float) value, like.getDataType());
    }

    public static NDArray mul(NDArray x, double v) {
        return x.mul(scalar(x, v));
    }

    public static NDArray div(NDArray x, double v) {
        return x.div(scalar(x, v));
    }

    public static NDArray add(NDArray x, double v) {
        return x.add(scalar(x, v));
    }

    public static NDArray sub(NDArray x, double v) {
        return x.sub(scalar(x, v));
    }

    public static NDArray pow(NDArray x, double v) {
        return x.pow(scalar(x, v));
    }
}

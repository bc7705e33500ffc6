package dev.lethe.core.io;

import ai.djl.ndarray.types.Shape;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor's header entry.
 *
 * @param name tensor name, e.g. {@code model.layers.0.self_attn.q_proj.weight}
 * @param dtype stored element type
 * @param shape dimensions (empty for a scalar); the record keeps and hands out copies
 * @param begin first byte, relative to the start of the data section (as in {@code data_offsets})
 * @param end one past the last byte, relative to the start of the data section
 */
public record TensorInfo(String name, Dtype dtype, long[] shape, long begin, long end) {

    /** Validates what does not depend on the file; the reader checks the rest against the file. */
    public TensorInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
        }
    }

    /** @return a copy of the dimensions */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** @return the dimensions as a DJL {@link Shape} */
    public Shape djlShape() {
        return new Shape(shape);
    }

    /** @return the number of elements (1 for a scalar); throws {@link ArithmeticException} on overflow */
    public long numElements() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** @return {@code end - begin}, the bytes the header claims */
    public long byteLength() {
        return end - begin;
    }

    /** @return the bytes {@code dtype × shape} needs; throws {@link ArithmeticException} on overflow */
    public long expectedByteLength() {
        long bits = Math.multiplyExact(numElements(), (long) dtype.bits());
        return (bits + 7) / 8;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t
                && name.equals(t.name)
                && dtype == t.dtype
                && Arrays.equals(shape, t.shape)
                && begin == t.begin
                && end == t.end;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape) + " @[" + begin + ", " + end + ")";
    }
}

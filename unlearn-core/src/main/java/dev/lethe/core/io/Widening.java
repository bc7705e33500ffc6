package dev.lethe.core.io;

import ai.djl.ndarray.types.DataType;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;

/**
 * Converts stored elements whose layout DJL cannot take as is (BF16, F16, F64 narrowed, I16, U16, U32) into the
 * native-order memory of the destination array. Done in Java so that no unsupported type ever reaches the PyTorch
 * JNI (BF16 aborts the JVM there), and straight into the destination so nothing is staged on the heap.
 */
final class Widening {
    private Widening() {
    }

    /**
     * @param src the stored bytes (little-endian), exactly {@code n} elements of {@code from}
     * @param dst the destination's memory, exactly {@code n} elements of {@code to}
     */
    static void convert(ByteBuffer src, Dtype from, ByteBuffer dst, DataType to, int n) {
        ByteBuffer s = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer d = dst.duplicate().order(ByteOrder.nativeOrder());
        switch (from) {
            case BF16 -> {
                ShortBuffer in = s.asShortBuffer();
                IntBuffer out = d.asIntBuffer();
                for (int i = 0; i < n; i++) {
                    out.put(i, (in.get(i) & 0xFFFF) << 16);
                }
            }
            case F16 -> {
                ShortBuffer in = s.asShortBuffer();
                FloatBuffer out = d.asFloatBuffer();
                for (int i = 0; i < n; i++) {
                    out.put(i, FloatFormats.halfToFloat(in.get(i)));
                }
            }
            case F64 -> {
                if (to != DataType.FLOAT32) {
                    throw new IllegalArgumentException("F64 converts only to FLOAT32, not " + to);
                }
                var in = s.asDoubleBuffer();
                FloatBuffer out = d.asFloatBuffer();
                for (int i = 0; i < n; i++) {
                    out.put(i, (float) in.get(i));
                }
            }
            case I16 -> {
                ShortBuffer in = s.asShortBuffer();
                IntBuffer out = d.asIntBuffer();
                for (int i = 0; i < n; i++) {
                    out.put(i, in.get(i));
                }
            }
            case U16 -> {
                ShortBuffer in = s.asShortBuffer();
                IntBuffer out = d.asIntBuffer();
                for (int i = 0; i < n; i++) {
                    out.put(i, in.get(i) & 0xFFFF);
                }
            }
            case U32 -> {
                IntBuffer in = s.asIntBuffer();
                LongBuffer out = d.asLongBuffer();
                for (int i = 0; i < n; i++) {
                    out.put(i, in.get(i) & 0xFFFFFFFFL);
                }
            }
            default -> throw new IllegalArgumentException("no conversion from " + from + " to " + to);
        }
    }
}

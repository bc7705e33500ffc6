package dev.lethe.core.io;

import ai.djl.ndarray.types.DataType;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The element types of the safetensors format, in the reference library's declaration order.
 *
 * <p>The order matters: the reference writer lays tensors out by descending dtype (its enum order), then by name,
 * so that every tensor starts aligned to its element size; {@link SafetensorsWriter} does the same.
 *
 * <p>{@link #loadType()} is the DJL type a load produces. It is never {@code BFLOAT16} or any DJL type the PyTorch
 * JNI cannot map (ordinals above 8 abort the JVM, djl-notes §9): BF16/F16 widen to FLOAT32, I16/U16 to INT32 and
 * U32 to INT64 in Java. Sub-byte, FP8, complex and U64 types can be listed but not loaded.
 */
public enum Dtype {
    BOOL(8, DataType.BOOLEAN),
    F4(4, null),
    F6_E2M3(6, null),
    F6_E3M2(6, null),
    U8(8, DataType.UINT8),
    I8(8, DataType.INT8),
    F8_E5M2(8, null),
    F8_E4M3(8, null),
    F8_E8M0(8, null),
    F8_E4M3FNUZ(8, null),
    F8_E5M2FNUZ(8, null),
    I16(16, DataType.INT32),
    U16(16, DataType.INT32),
    F16(16, DataType.FLOAT32),
    BF16(16, DataType.FLOAT32),
    I32(32, DataType.INT32),
    U32(32, DataType.INT64),
    F32(32, DataType.FLOAT32),
    C64(64, null),
    F64(64, DataType.FLOAT64),
    I64(64, DataType.INT64),
    U64(64, null);

    private static final Map<String, Dtype> BY_NAME = new HashMap<>();

    static {
        for (Dtype d : values()) {
            BY_NAME.put(d.name(), d);
        }
    }

    private final int bits;
    private final DataType loadType;

    Dtype(int bits, DataType loadType) {
        this.bits = bits;
        this.loadType = loadType;
    }

    /** @return the header spelling of {@code name}, e.g. {@code "BF16"}, if it is a known dtype */
    public static Optional<Dtype> parse(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** @return bits per element (4 and 6 for the packed micro-scaling formats) */
    public int bits() {
        return bits;
    }

    /** @return whether {@link TensorSource#load} can produce an NDArray of this dtype */
    public boolean isLoadable() {
        return loadType != null;
    }

    /**
     * @return the DJL type a load produces (F64 stays FLOAT64 unless {@link LoadOptions#float64ToFloat32()}),
     *     or {@code null} when this dtype cannot be loaded
     */
    public DataType loadType() {
        return loadType;
    }

    /** @return whether the stored bytes are exactly what DJL holds for {@link #loadType()} (zero-copy possible) */
    boolean isNativeLayout() {
        return this == BOOL || this == U8 || this == I8 || this == I32 || this == F32 || this == F64 || this == I64;
    }

    /** @return the safetensors dtype DJL's {@code type} is stored as, without conversion */
    static Optional<Dtype> of(DataType type) {
        switch (type) {
            case BOOLEAN: return Optional.of(BOOL);
            case UINT8: return Optional.of(U8);
            case INT8: return Optional.of(I8);
            case INT32: return Optional.of(I32);
            case INT64: return Optional.of(I64);
            case FLOAT16: return Optional.of(F16);
            case FLOAT32: return Optional.of(F32);
            case FLOAT64: return Optional.of(F64);
            default: return Optional.empty();
        }
    }
}

package dev.lethe.core.io;

/**
 * How a tensor becomes an NDArray.
 *
 * @param zeroCopy when {@code true}, tensors stored in DJL's layout (F32, F64, I64, I32, I8, U8, BOOL) that are
 *     suitably aligned come back as views of a read-only file mapping: no copy, no memory until touched, but the
 *     array must never be mutated in place (PyTorch writes to read-only pages: SIGSEGV, the JVM dies) and the file
 *     must not be modified while the array lives. Other tensors are copied regardless.
 * @param float64ToFloat32 narrow F64 tensors to FLOAT32 (round to nearest), as model weights are used in FLOAT32
 */
public record LoadOptions(boolean zeroCopy, boolean float64ToFloat32) {

    /** Independent copies, F64 narrowed to F32: safe for trainable weights. */
    public static final LoadOptions COPY = new LoadOptions(false, true);

    /** Zero-copy views where possible, F64 narrowed (which copies): for read-only use such as frozen weights. */
    public static final LoadOptions ZERO_COPY = new LoadOptions(true, true);

    /** @return these options with F64 kept as FLOAT64 */
    public LoadOptions keepFloat64() {
        return new LoadOptions(zeroCopy, false);
    }
}

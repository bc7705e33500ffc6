package dev.lethe.core.io;

/**
 * Bit-level conversions between FLOAT32 and the 16-bit float formats, done in Java.
 *
 * <p>Why in Java: DJL's PyTorch JNI aborts the JVM on any BF16 tensor (djl-notes §9), and Java 17 has no
 * {@code Float.float16ToFloat} (that is Java 20). Narrowing rounds to nearest, ties to even, like PyTorch and the
 * reference {@code safetensors}/NumPy/ml_dtypes stack, so files written here match files written there. NaNs stay
 * NaN (quiet) and keep their sign and top payload bits; infinities and signed zeros are kept.
 */
public final class FloatFormats {
    private FloatFormats() {
    }

    /** @return the FLOAT32 value of the bfloat16 bit pattern {@code bits} (exact: bf16 is truncated f32) */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** @return the bfloat16 bit pattern nearest to {@code f} (ties to even) */
    public static short floatToBf16(float f) {
        int x = Float.floatToRawIntBits(f);
        if ((x & 0x7FFFFFFF) > 0x7F800000) {
            // Rounding could carry a NaN's payload into the exponent (an infinity) or truncate it to zero
            // (also an infinity); force the quiet bit instead.
            return (short) ((x >>> 16) | 0x0040);
        }
        // Adding 0x7FFF plus the lowest kept bit rounds to nearest with ties to even; a carry into the exponent is
        // exactly the correct rounding up, including to infinity.
        return (short) ((x + 0x7FFF + ((x >>> 16) & 1)) >>> 16);
    }

    /** @return the FLOAT32 value of the IEEE binary16 bit pattern {@code bits} (exact) */
    public static float halfToFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        int mant = h & 0x3FF;
        if (exp == 0) {
            // Zero or subnormal: mant * 2^-24, exact in FLOAT32.
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp + (127 - 15)) << 23) | (mant << 13));
    }

    /** @return the IEEE binary16 bit pattern nearest to {@code f} (ties to even; overflow gives infinity) */
    public static short floatToHalf(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int abs = x & 0x7FFFFFFF;
        if (abs >= 0x7F800000) {
            if (abs == 0x7F800000) {
                return (short) (sign | 0x7C00);
            }
            return (short) (sign | 0x7E00 | ((abs >>> 13) & 0x3FF));
        }
        if (abs >= 0x38800000) {
            // Normal half range (>= 2^-14): rebias the exponent, round the 13 dropped bits. A carry out of the
            // mantissa bumps the exponent, and from 0x7BFF that is infinity: 65520 and above overflow, as in IEEE.
            int h = (abs - ((127 - 15) << 23)) >>> 13;
            int rem = abs & 0x1FFF;
            if (rem > 0x1000 || (rem == 0x1000 && (h & 1) != 0)) {
                h++;
            }
            return (short) (sign | Math.min(h, 0x7C00));
        }
        // Subnormal half: value = m * 2^-24 with m = mantissa >> (126 - exponent).
        int e = abs >>> 23;
        int shift = 126 - e;
        if (e == 0 || shift > 24) {
            return (short) sign; // below 2^-25 (or exactly it: ties to even gives 0)
        }
        int mant = (abs & 0x7FFFFF) | 0x800000;
        int m = mant >>> shift;
        int rem = mant & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rem > halfway || (rem == halfway && (m & 1) != 0)) {
            m++; // may become 0x400, which is exactly the smallest normal half
        }
        return (short) (sign | m);
    }
}

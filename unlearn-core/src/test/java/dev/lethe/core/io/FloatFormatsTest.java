package dev.lethe.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Java 16-bit float conversions, checked against PyTorch's where DJL can run them (F16, not BF16). */
class FloatFormatsTest {
    private static NDManager manager;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    @Test
    void halfToFloatMatchesTorchForAll65536Patterns() {
        ByteBuffer halves = ByteBuffer.allocateDirect(65536 * 2).order(ByteOrder.nativeOrder());
        for (int h = 0; h < 65536; h++) {
            halves.putShort((short) h);
        }
        halves.rewind();
        try (NDArray f16 = manager.create(halves, new Shape(65536), DataType.FLOAT16);
                NDArray f32 = f16.toType(DataType.FLOAT32, true)) {
            float[] torch = f32.toFloatArray();
            for (int h = 0; h < 65536; h++) {
                float mine = FloatFormats.halfToFloat((short) h);
                if (Float.isNaN(torch[h])) {
                    assertTrue(Float.isNaN(mine), "NaN pattern " + Integer.toHexString(h));
                } else {
                    assertEquals(Float.floatToRawIntBits(torch[h]), Float.floatToRawIntBits(mine),
                            "pattern 0x" + Integer.toHexString(h));
                }
            }
        }
    }

    @Test
    void floatToHalfRoundsLikeTorch() {
        List<Float> values = new ArrayList<>();
        for (int h = 0; h < 0x7C00; h++) {
            float lo = FloatFormats.halfToFloat((short) h);
            float hi = FloatFormats.halfToFloat((short) (h + 1));
            values.add(lo);
            values.add((lo + hi) / 2); // exact ties: must go to the even neighbour
            values.add(Math.nextUp((lo + hi) / 2));
            values.add(Math.nextDown((lo + hi) / 2));
        }
        Random rnd = new Random(42);
        for (int i = 0; i < 20000; i++) {
            values.add(Float.intBitsToFloat(rnd.nextInt()));
        }
        float[] edge = {65504f, 65519.99f, 65520f, 1e6f, 0x1p-24f, 0x1p-25f, Math.nextUp(0x1p-25f), 1.5f * 0x1p-24f,
            Float.MIN_VALUE, Float.MAX_VALUE, -0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN};
        for (float v : edge) {
            values.add(v);
            values.add(-v);
        }
        float[] in = new float[values.size()];
        for (int i = 0; i < in.length; i++) {
            in[i] = values.get(i);
        }
        try (NDArray f32 = manager.create(in); NDArray f16 = f32.toType(DataType.FLOAT16, true)) {
            ShortBuffer torch = f16.toByteBuffer().order(ByteOrder.nativeOrder()).asShortBuffer();
            for (int i = 0; i < in.length; i++) {
                short mine = FloatFormats.floatToHalf(in[i]);
                short ref = torch.get(i);
                if (Float.isNaN(in[i])) {
                    assertTrue(Float.isNaN(FloatFormats.halfToFloat(mine)));
                } else {
                    int idx = i;
                    assertEquals(ref, mine, () -> in[idx] + " (0x" + Integer.toHexString(
                            Float.floatToRawIntBits(in[idx])) + ")");
                }
            }
        }
    }

    @Test
    void bf16KnownValues() {
        assertEquals((short) 0x3F80, FloatFormats.floatToBf16(1.0f));
        assertEquals((short) 0xC020, FloatFormats.floatToBf16(-2.5f));
        assertEquals((short) 0x4049, FloatFormats.floatToBf16(3.140625f));
        assertEquals((short) 0x3DCD, FloatFormats.floatToBf16(0.1f));
        assertEquals(0.100097656f, FloatFormats.bf16ToFloat((short) 0x3DCD));
        // Ties go to even; just above a tie rounds up.
        assertEquals((short) 0x3F80, FloatFormats.floatToBf16(Float.intBitsToFloat(0x3F808000)));
        assertEquals((short) 0x3F82, FloatFormats.floatToBf16(Float.intBitsToFloat(0x3F818000)));
        assertEquals((short) 0x3F81, FloatFormats.floatToBf16(Float.intBitsToFloat(0x3F808001)));
        // Overflow to infinity, signed zero kept, NaN stays NaN even when its payload is only in the low bits.
        assertEquals((short) 0x7F80, FloatFormats.floatToBf16(Float.MAX_VALUE));
        assertEquals((short) 0x8000, FloatFormats.floatToBf16(-0f));
        assertTrue(Float.isNaN(FloatFormats.bf16ToFloat(FloatFormats.floatToBf16(Float.intBitsToFloat(0x7F800001)))));
        assertTrue(Float.isNaN(FloatFormats.bf16ToFloat(FloatFormats.floatToBf16(Float.intBitsToFloat(0xFFFFFFFF)))));
    }

    @Test
    void bf16RoundTripsEveryPattern() {
        for (int h = 0; h < 65536; h++) {
            float f = FloatFormats.bf16ToFloat((short) h);
            if (!Float.isNaN(f)) {
                assertEquals((short) h, FloatFormats.floatToBf16(f), "pattern 0x" + Integer.toHexString(h));
            }
        }
    }
}

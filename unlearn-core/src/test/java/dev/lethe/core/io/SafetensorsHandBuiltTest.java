package dev.lethe.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files assembled byte by byte, so the reader is checked independently of the writer. */
class SafetensorsHandBuiltTest {
    private static NDManager manager;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    @Test
    void bf16WidensInJavaWithoutTouchingDjlBf16() throws IOException {
        // 1.0, -2.5, 3.140625, 0.1 (0x3DCD), as a 2x2 BF16 tensor: handing this to DJL as BF16 aborts the JVM.
        Path file = RawFiles.write(dir.resolve("bf16.safetensors"),
                "{\"w\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":[0,8]}}",
                RawFiles.shorts(0x3F80, 0xC020, 0x4049, 0x3DCD));
        try (NDManager m = manager.newSubManager(); SafetensorsReader r = SafetensorsReader.open(file)) {
            for (LoadOptions o : List.of(LoadOptions.COPY, LoadOptions.ZERO_COPY)) {
                NDArray a = r.load("w", m, o);
                assertEquals(DataType.FLOAT32, a.getDataType());
                assertEquals(new Shape(2, 2), a.getShape());
                assertArrayEquals(new float[] {1.0f, -2.5f, 3.140625f, 0.100097656f}, a.toFloatArray());
                a.addi(1); // a widened copy is always safe to mutate
            }
        }
    }

    @Test
    void f16WidensToFloat32() throws IOException {
        // 1.0, -2.5, 3.140625 (0x4248), 0.1 -> 0x2E66 = 0.0999755859375, 65504, -0.0, smallest subnormal, inf
        Path file = RawFiles.write(dir.resolve("f16.safetensors"),
                "{\"__metadata__\":{\"format\":\"pt\"},\"h\":{\"dtype\":\"F16\",\"shape\":[8],\"data_offsets\":[0,16]}}",
                RawFiles.shorts(0x3C00, 0xC100, 0x4248, 0x2E66, 0x7BFF, 0x8000, 0x0001, 0x7C00));
        try (NDManager m = manager.newSubManager(); SafetensorsReader r = SafetensorsReader.open(file)) {
            assertEquals("pt", r.metadata().get("format"));
            float[] got = r.loadMapped("h", m).toFloatArray();
            assertArrayEquals(new float[] {1.0f, -2.5f, 3.140625f, 0.0999755859375f, 65504f, -0f, 0x1p-24f,
                Float.POSITIVE_INFINITY}, got);
            assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(got[5]));
        }
    }

    @Test
    void narrowIntegerTypesWidenToSupportedDjlTypes() throws IOException {
        ByteBuffer u32 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-1).putInt(7);
        ByteBuffer f64 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1);
        Path file = RawFiles.write(dir.resolve("ints.safetensors"),
                "{\"f64\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[0,8]},"
                        + "\"u32\":{\"dtype\":\"U32\",\"shape\":[2],\"data_offsets\":[8,16]},"
                        + "\"i16\":{\"dtype\":\"I16\",\"shape\":[2],\"data_offsets\":[16,20]},"
                        + "\"u16\":{\"dtype\":\"U16\",\"shape\":[2],\"data_offsets\":[20,24]}}",
                RawFiles.concat(f64.array(), u32.array(), RawFiles.shorts(-32768, 5), RawFiles.shorts(0xFFFF, 5)));
        try (NDManager m = manager.newSubManager(); SafetensorsReader r = SafetensorsReader.open(file)) {
            assertEquals(List.of("f64", "u32", "i16", "u16"), r.names());
            assertEquals(0.1f, r.load("f64", m).getFloat());
            assertEquals(0.1, r.load("f64", m, LoadOptions.COPY.keepFloat64()).getDouble());
            NDArray u = r.load("u32", m);
            assertEquals(DataType.INT64, u.getDataType());
            assertArrayEquals(new long[] {0xFFFFFFFFL, 7}, u.toLongArray());
            assertArrayEquals(new int[] {-32768, 5}, r.load("i16", m).toIntArray());
            assertArrayEquals(new int[] {65535, 5}, r.loadMapped("u16", m).toIntArray());
        }
    }

    @Test
    void fileOrderFollowsDataOffsetsNotHeaderOrder() throws IOException {
        Path file = RawFiles.write(dir.resolve("order.safetensors"),
                "{\"second\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
                        + "\"first\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                RawFiles.floats(1f, 2f));
        try (NDManager m = manager.newSubManager(); SafetensorsReader r = SafetensorsReader.open(file)) {
            assertEquals(List.of("first", "second"), r.names());
            assertEquals(2f, r.load("second", m).getFloat(0));
            TensorInfo info = r.info("second");
            assertEquals(new TensorInfo("second", Dtype.F32, new long[] {1}, 4, 8), info);
            assertEquals(4, info.byteLength());
            assertTrue(r.dataStart() % 8 == 0);
        }
    }

    @Test
    void nulPaddedHeadersFromOtherWritersAreAccepted() throws IOException {
        byte[] json = "{\"x\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}".getBytes();
        int padded = (json.length + 7) & ~7;
        ByteBuffer b = ByteBuffer.allocate(8 + padded + 1).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(padded).put(json).position(8 + padded).put((byte) 9);
        Path file = java.nio.file.Files.write(dir.resolve("nul.safetensors"), b.array());
        try (NDManager m = manager.newSubManager(); SafetensorsReader r = SafetensorsReader.open(file)) {
            assertArrayEquals(new byte[] {9}, r.load("x", m).toByteArray());
        }
    }

    /**
     * A 3 GiB file as a sparse file (no disk used): offsets past 2^31 load through per-tensor mappings, and a
     * tensor over 2 GiB is refused with a clear message instead of an overflow.
     */
    @Test
    void filesOver2GiBUseLongOffsets() throws IOException {
        long big = 3L << 30;
        String header = "{\"huge\":{\"dtype\":\"U8\",\"shape\":[" + big + "],\"data_offsets\":[0," + big + "]},"
                + "\"tail\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[" + big + "," + (big + 8) + "]}}";
        byte[] head = RawFiles.build(header, new byte[0]);
        Path file = dir.resolve("sparse.safetensors");
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            raf.write(head);
            raf.seek(head.length + big);
            raf.write(RawFiles.floats(1.25f, -4f));
        }
        try (NDManager m = manager.newSubManager(); SafetensorsReader r = SafetensorsReader.open(file)) {
            assertEquals(head.length + big + 8, r.fileSize());
            assertArrayEquals(new float[] {1.25f, -4f}, r.loadMapped("tail", m).toFloatArray());
            assertArrayEquals(new float[] {1.25f, -4f}, r.load("tail", m).toFloatArray());
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> r.load("huge", m));
            assertTrue(e.getMessage().contains("tensor 'huge'") && e.getMessage().contains("over 2 GiB"),
                    e.getMessage());
        }
    }
}

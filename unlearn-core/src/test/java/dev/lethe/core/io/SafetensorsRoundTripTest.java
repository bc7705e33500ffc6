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
import java.nio.IntBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Writer → reader round trips, load modes, ordering and atomicity. */
class SafetensorsRoundTripTest {
    private static final int[] SPECIAL_F32_BITS = {
        0x7FC00000, 0x7FC00001, 0xFFC12345, 0x7F800001, // NaNs: quiet with payloads, negative, signalling
        0x80000000, 0x00000001, 0x007FFFFF, 0x80000010, // -0.0 and subnormals
        0x7F800000, 0xFF800000, 0x7F7FFFFF, 0x3F800000, 0xBEAAAAAB,
    };

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

    private static float[] specialFloats() {
        float[] f = new float[SPECIAL_F32_BITS.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = Float.intBitsToFloat(SPECIAL_F32_BITS[i]);
        }
        return f;
    }

    private static int[] bits(NDArray a) {
        IntBuffer b = a.toByteBuffer().order(ByteOrder.nativeOrder()).asIntBuffer();
        int[] out = new int[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void f32IsBitExactInEveryLoadMode() throws IOException {
        Path file = dir.resolve("f32.safetensors");
        try (NDManager m = manager.newSubManager()) {
            NDArray fromArray = m.create(specialFloats(), new Shape(1, SPECIAL_F32_BITS.length));
            new SafetensorsWriter()
                    .add("from_floats", specialFloats(), SPECIAL_F32_BITS.length)
                    .add("from_ndarray", fromArray)
                    .write(file);
            try (SafetensorsReader r = SafetensorsReader.open(file)) {
                for (String name : List.of("from_floats", "from_ndarray")) {
                    assertEquals(Dtype.F32, r.info(name).dtype());
                    for (LoadOptions o : List.of(LoadOptions.COPY, LoadOptions.ZERO_COPY)) {
                        NDArray a = r.load(name, m, o);
                        assertEquals(DataType.FLOAT32, a.getDataType());
                        assertArrayEquals(SPECIAL_F32_BITS, bits(a), name + " " + o);
                    }
                }
                assertEquals(new Shape(1, SPECIAL_F32_BITS.length), r.load("from_ndarray", m).getShape());
            }
        }
    }

    @Test
    void f16RoundTripsAndNarrowsLikeTorch() throws IOException {
        Path file = dir.resolve("f16.safetensors");
        float[] values = {1f, -2.5f, 65504f, 1e-3f, 0x1p-24f, -0f, 70000f, 0.1f};
        try (NDManager m = manager.newSubManager()) {
            NDArray native16 = m.create(values).toType(DataType.FLOAT16, true);
            new SafetensorsWriter().floatType(Dtype.F16)
                    .add("java", values, values.length)
                    .add("torch16", native16)
                    .write(file);
            try (SafetensorsReader r = SafetensorsReader.open(file)) {
                assertEquals(Dtype.F16, r.info("java").dtype());
                float[] expected = native16.toType(DataType.FLOAT32, true).toFloatArray();
                assertArrayEquals(expected, r.load("java", m).toFloatArray());
                assertArrayEquals(expected, r.loadMapped("torch16", m).toFloatArray());
                assertEquals(Float.POSITIVE_INFINITY, expected[6]);
            }
        }
    }

    @Test
    void bf16OutputRoundsToNearestEven() throws IOException {
        Path file = dir.resolve("bf16.safetensors");
        try (NDManager m = manager.newSubManager()) {
            NDArray src = m.create(new float[] {1.0f, -2.5f, 3.140625f, 0.1f});
            new SafetensorsWriter().add("w", src, Dtype.BF16).write(file);
            try (SafetensorsReader r = SafetensorsReader.open(file)) {
                assertEquals(Dtype.BF16, r.info("w").dtype());
                NDArray a = r.load("w", m);
                assertEquals(DataType.FLOAT32, a.getDataType());
                assertArrayEquals(new float[] {1.0f, -2.5f, 3.140625f, 0.100097656f}, a.toFloatArray());
            }
        }
    }

    @Test
    void integerAndBooleanTypesKeepTheirType() throws IOException {
        Path file = dir.resolve("ints.safetensors");
        long[] longs = {Long.MIN_VALUE, -1, 0, 1L << 40, Long.MAX_VALUE};
        try (NDManager m = manager.newSubManager()) {
            new SafetensorsWriter()
                    .add("ids", longs, 5)
                    .add("i64", m.create(longs, new Shape(5, 1)))
                    .add("i32", m.create(new int[] {Integer.MIN_VALUE, 7, Integer.MAX_VALUE}))
                    .add("i8", m.create(new byte[] {-128, 0, 127}))
                    .add("u8", m.create(ByteBuffer.wrap(new byte[] {0, (byte) 200, (byte) 255}), new Shape(3),
                            DataType.UINT8))
                    .add("mask", m.create(new boolean[] {true, false, true}))
                    .write(file);
            try (SafetensorsReader r = SafetensorsReader.open(file)) {
                for (LoadOptions o : List.of(LoadOptions.COPY, LoadOptions.ZERO_COPY)) {
                    assertArrayEquals(longs, r.load("ids", m, o).toLongArray());
                    NDArray i64 = r.load("i64", m, o);
                    assertEquals(new Shape(5, 1), i64.getShape());
                    assertArrayEquals(longs, i64.toLongArray());
                    assertArrayEquals(new int[] {Integer.MIN_VALUE, 7, Integer.MAX_VALUE},
                            r.load("i32", m, o).toIntArray());
                    assertArrayEquals(new byte[] {-128, 0, 127}, r.load("i8", m, o).toByteArray());
                    NDArray u8 = r.load("u8", m, o);
                    assertEquals(DataType.UINT8, u8.getDataType());
                    assertArrayEquals(new byte[] {0, (byte) 200, (byte) 255}, u8.toByteArray());
                    assertArrayEquals(new boolean[] {true, false, true}, r.load("mask", m, o).toBooleanArray());
                }
                assertEquals(Dtype.BOOL, r.info("mask").dtype());
                assertEquals(Dtype.U8, r.info("u8").dtype());
            }
        }
    }

    @Test
    void float64NarrowsByDefaultAndCanBeKept() throws IOException {
        Path file = dir.resolve("f64.safetensors");
        double[] d = {Math.PI, 1e-300, -0.0, 1e300};
        try (NDManager m = manager.newSubManager()) {
            new SafetensorsWriter().add("d", m.create(d), Dtype.F64).write(file);
            try (SafetensorsReader r = SafetensorsReader.open(file)) {
                NDArray narrowed = r.load("d", m);
                assertEquals(DataType.FLOAT32, narrowed.getDataType());
                assertArrayEquals(new float[] {(float) Math.PI, 0f, -0f, Float.POSITIVE_INFINITY},
                        narrowed.toFloatArray());
                NDArray kept = r.load("d", m, LoadOptions.ZERO_COPY.keepFloat64());
                assertEquals(DataType.FLOAT64, kept.getDataType());
                assertArrayEquals(d, kept.toDoubleArray());
            }
        }
    }

    @Test
    void scalarsAndEmptyTensors() throws IOException {
        Path file = dir.resolve("shapes.safetensors");
        try (NDManager m = manager.newSubManager()) {
            new SafetensorsWriter()
                    .add("scalar", new float[] {42f})
                    .add("empty", new float[0], 0, 3)
                    .add("empty_ids", new long[0], 0)
                    .write(file);
            try (SafetensorsReader r = SafetensorsReader.open(file)) {
                for (LoadOptions o : List.of(LoadOptions.COPY, LoadOptions.ZERO_COPY)) {
                    NDArray s = r.load("scalar", m, o);
                    assertEquals(new Shape(), s.getShape());
                    assertEquals(42f, s.getFloat());
                    assertEquals(new Shape(0, 3), r.load("empty", m, o).getShape());
                    assertEquals(DataType.INT64, r.load("empty_ids", m, o).getDataType());
                }
            }
        }
    }

    @Test
    void referenceOrderMetadataAndPadding() throws IOException {
        Path file = dir.resolve("order.safetensors");
        new SafetensorsWriter()
                .metadata("format", "pt")
                .metadata("a_key", "x \"quoted\" ü")
                .add("z_u8_like_ids", new long[] {1}, 1)
                .add("c", new float[] {1, 2, 3}, 3)
                .add("b", new float[] {1}, Dtype.F16, 1)
                .add("a", new float[] {1, 2}, 2)
                .write(file);
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header padded to 8 bytes");
        String header = new String(bytes, 8, (int) n, java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(header.startsWith("{\"__metadata__\":{\"a_key\":\"x \\\"quoted\\\" ü\",\"format\":\"pt\"}"), header);
        assertTrue(header.endsWith("}") || header.stripTrailing().endsWith("}"));
        assertTrue(header.substring(header.lastIndexOf('}') + 1).isBlank(), "padding is spaces");
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            // I64 before F32 before F16 (descending dtype), names ascending within a dtype.
            assertEquals(List.of("z_u8_like_ids", "a", "c", "b"), r.names());
            assertEquals(Map.of("format", "pt", "a_key", "x \"quoted\" ü"), r.metadata());
            assertEquals(8 + n, r.dataStart());
            assertEquals(0, r.dataStart() % 8);
            for (TensorInfo t : r.tensors().values()) {
                assertEquals(0, t.begin() % (t.dtype().bits() / 8), "aligned: " + t);
            }
        }
        new SafetensorsWriter().order(SafetensorsWriter.Order.AS_GIVEN)
                .add("z", new long[] {1}, 1).add("c", new float[] {1}, 1).add("b", new float[] {1}, 1)
                .write(file);
        try (SafetensorsReader r = SafetensorsReader.open(file)) {
            assertEquals(List.of("z", "c", "b"), r.names());
            assertTrue(r.metadata().isEmpty());
        }
    }

    @Test
    void writerOutputIsByteIdenticalToTheReferenceLibrary() throws IOException {
        // safetensors 0.8.0: safetensors.numpy.save({'b.weight': f32 [[1.5,-2],[0.25,3]], 'a': i64 [1, 2**40],
        // 'c': f16 [1, 65504, float16(float32(0.001))], 'z': u8 [1,2,255], 'e': f32 zeros((0,3))},
        // metadata={'format': 'pt'})
        String reference = "40010000000000007b225f5f6d657461646174615f5f223a7b22666f726d6174223a227074227d2c2261"
                + "223a7b226474797065223a22493634222c227368617065223a5b325d2c22646174615f6f666673657473223a5b30"
                + "2c31365d7d2c22622e776569676874223a7b226474797065223a22463332222c227368617065223a5b322c325d2c"
                + "22646174615f6f666673657473223a5b31362c33325d7d2c2265223a7b226474797065223a22463332222c227368"
                + "617065223a5b302c335d2c22646174615f6f666673657473223a5b33322c33325d7d2c2263223a7b226474797065"
                + "223a22463136222c227368617065223a5b335d2c22646174615f6f666673657473223a5b33322c33385d7d2c227a"
                + "223a7b226474797065223a225538222c227368617065223a5b335d2c22646174615f6f666673657473223a5b3338"
                + "2c34315d7d7d20202020010000000000000000000000000100000000c03f000000c00000803e00004040003cff7b19"
                + "140102ff";
        Path file = dir.resolve("golden.safetensors");
        try (NDManager m = manager.newSubManager()) {
            new SafetensorsWriter().metadata("format", "pt")
                    .add("b.weight", new float[] {1.5f, -2f, 0.25f, 3f}, 2, 2)
                    .add("a", new long[] {1, 1L << 40}, 2)
                    .add("c", new float[] {1f, 65504f, 0.001f}, Dtype.F16, 3)
                    .add("z", m.create(ByteBuffer.wrap(new byte[] {1, 2, (byte) 255}), new Shape(3), DataType.UINT8))
                    .add("e", new float[0], 0, 3)
                    .write(file);
        }
        assertArrayEquals(RawFiles.hex(reference), Files.readAllBytes(file));
    }

    @Test
    void independentParserReadsWriterOutput() throws IOException {
        Path file = dir.resolve("indep.safetensors");
        float[] w = {0.5f, -1.25f, 3e-39f, Float.NaN, 7f, 8f};
        new SafetensorsWriter().metadata("k", "v")
                .add("w", w, 2, 3)
                .add("ids", new long[] {5, -6}, 2)
                .write(file);
        Map<String, Object> parsed = MinimalParser.parse(Files.readAllBytes(file));
        assertArrayEquals(new long[] {2, 3}, (long[]) parsed.get("w.shape"));
        assertEquals("F32", parsed.get("w.dtype"));
        float[] got = (float[]) parsed.get("w.f32");
        for (int i = 0; i < w.length; i++) {
            assertEquals(Float.floatToRawIntBits(w[i]), Float.floatToRawIntBits(got[i]));
        }
        assertArrayEquals(new long[] {5, -6}, (long[]) parsed.get("ids.i64"));
        assertEquals("v", parsed.get("__metadata__.k"));
    }

    @Test
    void zeroCopyViewsTheFileWhileCopiesAreIndependent() throws IOException {
        Path file = dir.resolve("views.safetensors");
        new SafetensorsWriter().add("w", new float[] {1, 2, 3, 4}, 4).write(file);
        try (NDManager m = manager.newSubManager(); SafetensorsReader r = SafetensorsReader.open(file)) {
            NDArray mapped = r.loadMapped("w", m);
            NDArray copy = r.load("w", m);
            NDArray trainable = mapped.duplicate();
            trainable.addi(1); // in place on the copy: fine
            // Rewrite the first element in the file, in place: a MAP_SHARED view sees it, a copy does not.
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(RawFiles.floats(9f)), r.dataStart());
            }
            assertEquals(9f, mapped.getFloat(0));
            assertEquals(1f, copy.getFloat(0));
            assertArrayEquals(new float[] {2, 3, 4, 5}, trainable.toFloatArray());
            copy.muli(2);
            assertArrayEquals(new float[] {2, 4, 6, 8}, copy.toFloatArray());
        }
    }

    @Test
    void misalignedTensorsAreCopiedEvenWhenZeroCopyIsAsked() throws IOException {
        Path file = dir.resolve("misaligned.safetensors");
        try (NDManager m = manager.newSubManager()) {
            new SafetensorsWriter().order(SafetensorsWriter.Order.AS_GIVEN)
                    .add("odd", m.create(new byte[] {1, 2, 3}))
                    .add("w", new float[] {1.5f, 2.5f}, 2)
                    .write(file);
            try (SafetensorsReader r = SafetensorsReader.open(file)) {
                assertEquals(3, r.info("w").begin());
                assertArrayEquals(new float[] {1.5f, 2.5f}, r.loadMapped("w", m).toFloatArray());
            }
        }
    }

    @Test
    void arraysBelongToTheCallersManagerAndOutliveTheReader() throws IOException {
        Path file = dir.resolve("own.safetensors");
        new SafetensorsWriter().add("w", new float[] {1, 2}, 2).write(file);
        NDArray mapped;
        NDArray copy;
        try (NDManager m = manager.newSubManager()) {
            try (SafetensorsReader r = SafetensorsReader.open(file)) {
                mapped = r.loadMapped("w", m);
                copy = r.load("w", m);
                assertEquals(m, mapped.getManager());
                assertEquals(m, copy.getManager());
            }
            System.gc(); // the mapping must be held by the array, not by the closed reader
            assertArrayEquals(new float[] {1, 2}, mapped.toFloatArray());
            assertArrayEquals(new float[] {1, 2}, copy.toFloatArray());
        }
        assertTrue(mapped.isReleased());
        assertTrue(copy.isReleased());
    }

    @Test
    void failedWriteLeavesNothingBehindAndKeepsTheOldFile() throws IOException {
        Path file = dir.resolve("atomic.safetensors");
        new SafetensorsWriter().add("old", new float[] {1}, 1).write(file);
        byte[] before = Files.readAllBytes(file);
        NDArray closed = manager.create(new float[] {1, 2});
        SafetensorsWriter w = new SafetensorsWriter().add("new", new float[] {3}, 1).add("gone", closed);
        closed.close();
        assertThrows(RuntimeException.class, () -> w.write(file));
        assertArrayEquals(before, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left");
        }
        Path fresh = dir.resolve("never.safetensors");
        assertThrows(RuntimeException.class, () -> w.write(fresh));
        assertFalse(Files.exists(fresh));
    }

    @Test
    void writerRejectsBadInput() {
        SafetensorsWriter w = new SafetensorsWriter().add("a", new float[] {1}, 1);
        assertThrows(IllegalArgumentException.class, () -> w.add("a", new float[] {1}, 1));
        assertThrows(IllegalArgumentException.class, () -> w.add("__metadata__", new float[] {1}, 1));
        assertThrows(IllegalArgumentException.class, () -> w.add("b", new float[] {1, 2}, 3));
        assertThrows(IllegalArgumentException.class, () -> w.floatType(Dtype.I32));
        assertThrows(IllegalArgumentException.class, () -> w.add("c", manager.create(new int[] {1}), Dtype.I64));
    }

    @Test
    void convenienceWriteOfAMap() throws IOException {
        Path file = dir.resolve("map.safetensors");
        try (NDManager m = manager.newSubManager()) {
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            tensors.put("w", m.create(new float[] {1, 2, 3, 4}, new Shape(2, 2)));
            tensors.put("b", m.create(new float[] {5, 6}).toType(DataType.FLOAT64, false));
            SafetensorsWriter.write(file, tensors);
            try (TensorSource src = TensorSource.open(file)) {
                assertEquals(Dtype.F32, src.info("b").dtype(), "floats default to F32");
                assertArrayEquals(new float[] {5, 6}, src.load("b", m).toFloatArray());
                assertEquals(new Shape(2, 2), src.load("w", m).getShape());
            }
        }
    }
}

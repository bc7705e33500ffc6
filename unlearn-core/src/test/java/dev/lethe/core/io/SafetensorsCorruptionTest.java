package dev.lethe.core.io;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every malformed file is a {@link SafetensorsException} naming file, tensor and expectation; never a crash. */
class SafetensorsCorruptionTest {
    private static final String TWO = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";

    private static final String JSONISH = "{}[],:\"0123456789 -";

    @TempDir
    Path dir;

    private SafetensorsException fails(byte[] bytes, String... fragments) throws IOException {
        Path file = Files.write(dir.resolve("bad.safetensors"), bytes);
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> SafetensorsReader.open(file).close());
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "'" + f + "' missing from: " + e.getMessage());
        }
        assertEquals(file, e.path());
        return e;
    }

    private SafetensorsException fails(String header, int dataBytes, String... fragments) throws IOException {
        return fails(RawFiles.build(header, new byte[dataBytes]), fragments);
    }

    @Test
    void tooShortForAHeaderLength() throws IOException {
        fails(new byte[5], "8-byte header length");
    }

    @Test
    void headerLengthLargerThanTheFile() throws IOException {
        byte[] ok = RawFiles.build(TWO, new byte[12]);
        ByteBuffer.wrap(ok).order(ByteOrder.LITTLE_ENDIAN).putLong(0, ok.length);
        fails(ok, "header length " + ok.length, "runs past the end of the file");
        ByteBuffer.wrap(ok).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
        fails(ok, "exceeds the limit");
        ByteBuffer.wrap(ok).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 200_000_000L);
        fails(ok, "exceeds the limit");
    }

    @Test
    void truncatedData() throws IOException {
        byte[] ok = RawFiles.build(TWO, new byte[12]);
        SafetensorsException e = fails(Arrays.copyOf(ok, ok.length - 1), "run past the end of the data section");
        assertEquals("b", e.tensor());
        fails(RawFiles.build(TWO, new byte[13]), "1 trailing bytes");
    }

    @Test
    void badOffsets() throws IOException {
        SafetensorsException overlap = fails("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "overlap tensor 'a'");
        assertEquals("b", overlap.tensor());
        fails("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "tensor 'a'", "gap",
                "start at 0");
        fails("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", 8, "end before they begin");
        fails("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4, "array of 2");
        fails("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,-4]}}", 4, "non-negative");
        fails("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999]}}", 4,
                "non-negative 64-bit");
    }

    @Test
    void offsetsDisagreeWithDtypeTimesShape() throws IOException {
        SafetensorsException e = fails("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,12]}}", 12,
                "tensor 'w'", "span 12 bytes", "F32 x [2, 3] needs 24");
        assertEquals("w", e.tensor());
        fails("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}", 4,
                "overflows");
        fails("{\"w\":{\"dtype\":\"F4\",\"shape\":[3],\"data_offsets\":[0,2]}}", 2, "not a whole number of bytes");
        fails("{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4, "non-negative");
    }

    @Test
    void unknownDtype() throws IOException {
        fails("{\"w\":{\"dtype\":\"F12\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "tensor 'w'",
                "unknown dtype \"F12\"", "BF16");
        fails("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4, "missing or non-string \"dtype\"");
        fails("{\"w\":{\"dtype\":{\"shape\":[1]},\"data_offsets\":[0,4]}}", 4, "missing or non-string \"dtype\"");
        fails("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4, "missing \"shape\"");
    }

    @Test
    void notJson() throws IOException {
        fails("not json at all", 0, "not valid JSON");
        fails("[1,2,3]", 0, "must be a JSON object");
        fails("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}} trailing", 1, "not valid JSON");
        fails("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
                + "\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1, "Duplicate field 'a'");
        fails("{\"__metadata__\":{\"n\":1}}", 0, "must be a string");
        fails("{\"a\":[1]}", 0, "tensor 'a'", "must be an object");
    }

    @Test
    void knownButUnloadableDtypeFailsOnlyOnLoad() throws IOException {
        Path file = RawFiles.write(dir.resolve("fp8.safetensors"),
                "{\"q\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", new byte[2]);
        try (NDManager m = NDManager.newBaseManager(); SafetensorsReader r = SafetensorsReader.open(file)) {
            assertEquals(Dtype.F8_E4M3, r.info("q").dtype());
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> r.load("q", m));
            assertTrue(e.getMessage().contains("tensor 'q': dtype F8_E4M3 cannot be loaded"), e.getMessage());
            assertThrows(NoSuchElementException.class, () -> r.load("nope", m));
        }
    }

    @Test
    void fileShrunkAfterOpenIsCaughtBeforeMapping() throws IOException {
        Path file = RawFiles.write(dir.resolve("shrink.safetensors"), TWO, new byte[12]);
        try (NDManager m = NDManager.newBaseManager(); SafetensorsReader r = SafetensorsReader.open(file)) {
            byte[] all = Files.readAllBytes(file);
            Files.write(file, Arrays.copyOf(all, all.length - 4));
            SafetensorsException e = assertThrows(SafetensorsException.class, () -> r.loadMapped("b", m));
            assertTrue(e.getMessage().contains("size changed"), e.getMessage());
        }
    }

    /** Random byte flips anywhere in a valid file: either a clean open + load, or a SafetensorsException. */
    @Test
    void randomCorruptionNeverEscapesAsAnythingElse() throws IOException {
        byte[] ok = RawFiles.build("{\"__metadata__\":{\"k\":\"v\"}," + TWO.substring(1), new byte[12]);
        Random rnd = new Random(7);
        Path file = dir.resolve("fuzz.safetensors");
        int rejected = 0;
        try (NDManager m = NDManager.newBaseManager()) {
            for (int i = 0; i < 300; i++) {
                byte[] bad = ok.clone();
                for (int k = 0, flips = 1 + rnd.nextInt(3); k < flips; k++) {
                    int pos = rnd.nextInt(Math.min(bad.length, 8 + 130));
                    bad[pos] = (byte) (rnd.nextBoolean() ? rnd.nextInt(256) : JSONISH.charAt(rnd.nextInt(JSONISH.length())));
                }
                if (rnd.nextInt(5) == 0) {
                    bad = Arrays.copyOf(bad, rnd.nextInt(bad.length + 8));
                }
                Files.write(file, bad);
                try (SafetensorsReader r = SafetensorsReader.open(file)) {
                    for (String name : r.names()) {
                        if (r.info(name).dtype().isLoadable()) {
                            r.load(name, m).close();
                            r.loadMapped(name, m).close();
                        }
                    }
                } catch (SafetensorsException expected) {
                    rejected++;
                }
            }
        }
        assertTrue(rejected > 100, "most corruptions are detected: " + rejected);
    }
}

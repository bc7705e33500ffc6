package dev.lethe.core.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed and fully validated safetensors header: {@code u64 LE length n}, {@code n} bytes of JSON, then the data.
 *
 * <p>The checks are the reference library's ({@code Metadata::validate} and {@code read_metadata}): each tensor's
 * {@code data_offsets} span exactly {@code dtype × shape} bytes, the tensors tile the data section with no gap or
 * overlap, and the data section ends exactly at the end of the file. Everything is checked here, before any mapping
 * exists, because a mapping past the end of the file raises SIGBUS inside PyTorch — a JVM crash, not an exception.
 */
final class SafetensorsHeader {
    /** The reference library's limit; it also bounds the heap this parser can be made to allocate. */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA_KEY = "__metadata__";

    /**
     * Streaming parser only: jackson-databind's one-time initialisation costs ~0.2 s, more than opening a 1 GiB
     * checkpoint otherwise takes. Duplicate names are an error, as a tensor could otherwise be silently replaced.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    final long headerLength;
    final long dataStart;
    final long fileSize;
    final Map<String, String> metadata;
    final Map<String, TensorInfo> tensors;

    private SafetensorsHeader(long headerLength, long fileSize, Map<String, String> metadata,
            Map<String, TensorInfo> tensors) {
        this.headerLength = headerLength;
        this.dataStart = 8 + headerLength;
        this.fileSize = fileSize;
        this.metadata = metadata;
        this.tensors = tensors;
    }

    static SafetensorsHeader read(Path path, FileChannel ch) throws IOException {
        long fileSize = ch.size();
        if (fileSize < 8) {
            throw new SafetensorsException(path, null,
                    "file is " + fileSize + " bytes; a safetensors file starts with an 8-byte header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(path, ch, lenBuf, 0);
        long n = lenBuf.getLong(0);
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw new SafetensorsException(path, null, "header length " + Long.toUnsignedString(n)
                    + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes (not a safetensors file?)");
        }
        if (8 + n > fileSize) {
            throw new SafetensorsException(path, null, "header length " + n + " runs past the end of the file ("
                    + fileSize + " bytes; header needs " + (8 + n) + "): truncated file or not safetensors");
        }
        ByteBuffer json = ByteBuffer.allocate((int) n);
        readFully(path, ch, json, 8);
        byte[] bytes = json.array();
        int len = bytes.length;
        // The reference pads with spaces; tolerate NUL padding from other writers rather than failing on it.
        while (len > 0 && bytes[len - 1] == 0) {
            len--;
        }
        Map<String, String> metadata = Collections.emptyMap();
        List<TensorInfo> infos = new ArrayList<>();
        try (JsonParser p = JSON.createParser(bytes, 0, len)) {
            JsonToken root = p.nextToken();
            if (root != JsonToken.START_OBJECT) {
                throw new SafetensorsException(path, null, "header must be a JSON object, found "
                        + (root == null ? "nothing" : root));
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                if (METADATA_KEY.equals(key)) {
                    metadata = parseMetadata(path, p);
                } else {
                    infos.add(parseTensor(path, key, p));
                }
            }
            if (p.nextToken() != null) {
                throw new SafetensorsException(path, null, "header is not valid JSON: unexpected "
                        + p.currentToken() + " after the header object");
            }
        } catch (JsonProcessingException e) {
            throw new SafetensorsException(path, null, "header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        infos.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long dataLength = fileSize - 8 - n;
        long cursor = 0;
        TensorInfo previous = null;
        for (TensorInfo t : infos) {
            if (t.begin() < cursor) {
                throw new SafetensorsException(path, t.name(), "data_offsets [" + t.begin() + ", " + t.end()
                        + "] overlap tensor '" + previous.name() + "' [" + previous.begin() + ", " + previous.end()
                        + "]");
            }
            if (t.begin() > cursor) {
                throw new SafetensorsException(path, t.name(), "data_offsets [" + t.begin() + ", " + t.end()
                        + "] leave a gap: expected the tensor to start at " + cursor
                        + " (tensors must tile the data section contiguously)");
            }
            if (t.end() > dataLength) {
                throw new SafetensorsException(path, t.name(), "data_offsets [" + t.begin() + ", " + t.end()
                        + "] run past the end of the data section (" + dataLength + " bytes from offset "
                        + (8 + n) + "): truncated file?");
            }
            cursor = t.end();
            previous = t;
        }
        if (cursor != dataLength) {
            throw new SafetensorsException(path, null, "tensors end at data offset " + cursor
                    + " but the data section is " + dataLength + " bytes (" + (dataLength - cursor)
                    + " trailing bytes)");
        }
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        for (TensorInfo t : infos) {
            tensors.put(t.name(), t);
        }
        return new SafetensorsHeader(n, fileSize, Collections.unmodifiableMap(metadata),
                Collections.unmodifiableMap(tensors));
    }

    private static Map<String, String> parseMetadata(Path path, JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new SafetensorsException(path, null, METADATA_KEY + " must be an object of strings, found "
                    + p.currentToken());
        }
        Map<String, String> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw new SafetensorsException(path, null, METADATA_KEY + "['" + key + "'] must be a string, found "
                        + p.currentToken());
            }
            out.put(key, p.getText());
        }
        return out;
    }

    private static TensorInfo parseTensor(Path path, String name, JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new SafetensorsException(path, name, "entry must be an object with dtype, shape, data_offsets; "
                    + "found " + p.currentToken());
        }
        String dtypeName = null;
        long[] shape = null;
        long[] offsets = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "dtype" -> {
                    if (value != JsonToken.VALUE_STRING) {
                        throw new SafetensorsException(path, name, "missing or non-string \"dtype\"");
                    }
                    dtypeName = p.getText();
                }
                case "shape" -> shape = longArray(path, name, p, "shape", -1);
                case "data_offsets" -> offsets = longArray(path, name, p, "data_offsets", 2);
                default -> p.skipChildren(); // the reference ignores unknown fields too
            }
        }
        if (dtypeName == null) {
            throw new SafetensorsException(path, name, "missing or non-string \"dtype\"");
        }
        String dt = dtypeName;
        Dtype dtype = Dtype.parse(dt).orElseThrow(() -> new SafetensorsException(path, name,
                "unknown dtype \"" + dt + "\"; expected one of " + Arrays.toString(Dtype.values())));
        if (shape == null || offsets == null) {
            throw new SafetensorsException(path, name, "missing \"" + (shape == null ? "shape" : "data_offsets")
                    + "\"");
        }
        if (offsets[1] < offsets[0]) {
            throw new SafetensorsException(path, name, "data_offsets [" + offsets[0] + ", " + offsets[1]
                    + "] end before they begin");
        }
        TensorInfo info = new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
        long expected;
        try {
            long bits = Math.multiplyExact(info.numElements(), (long) dtype.bits());
            if (bits % 8 != 0) {
                throw new SafetensorsException(path, name, dtype + " x " + Arrays.toString(shape) + " is "
                        + bits + " bits, not a whole number of bytes");
            }
            expected = bits / 8;
        } catch (ArithmeticException e) {
            throw new SafetensorsException(path, name, "shape " + Arrays.toString(shape) + " overflows");
        }
        if (info.byteLength() != expected) {
            throw new SafetensorsException(path, name, "data_offsets [" + offsets[0] + ", " + offsets[1]
                    + "] span " + info.byteLength() + " bytes but " + dtype + " x " + Arrays.toString(shape)
                    + " needs " + expected);
        }
        return info;
    }

    private static long[] longArray(Path path, String name, JsonParser p, String field, int requiredLength)
            throws IOException {
        String expected = "\"" + field + "\" must be an array of " + (requiredLength >= 0 ? requiredLength + " " : "")
                + "non-negative 64-bit integers";
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new SafetensorsException(path, name, expected + ", found " + p.currentToken());
        }
        long[] out = new long[4];
        int n = 0;
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    || p.getLongValue() < 0) {
                throw new SafetensorsException(path, name, expected + ", found " + p.getText());
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, 2 * n);
            }
            out[n++] = p.getLongValue();
        }
        if (requiredLength >= 0 && n != requiredLength) {
            throw new SafetensorsException(path, name, expected + ", found " + n + " values");
        }
        return Arrays.copyOf(out, n);
    }

    static void readFully(Path path, FileChannel ch, ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int r = ch.read(dst, pos);
            if (r < 0) {
                throw new SafetensorsException(path, null, "unexpected end of file at byte " + pos
                        + " (file changed or truncated while open?)");
            }
            pos += r;
        }
    }
}

package dev.lethe.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Writes a {@code .safetensors} file that the reference {@code safetensors} library reads, atomically.
 *
 * <p>Collect tensors with {@code add}, then {@link #write(Path)}. The writer holds references, not copies: arrays
 * must stay open until {@code write} returns. Layout, as the reference writer ({@code safetensors::tensor::prepare}):
 * <ul>
 *   <li>with {@link Order#REFERENCE} (the default) tensors are sorted by descending dtype, then by name (UTF-8
 *       bytes), which aligns every tensor to its element size — so the file can be loaded zero-copy — and makes
 *       the output byte-identical to the reference's for the same tensors and metadata; {@link Order#AS_GIVEN}
 *       keeps insertion order instead;
 *   <li>the JSON header lists {@code __metadata__} first (keys sorted; omitted when empty), then the tensors in
 *       data order, and is padded with spaces to a multiple of 8 bytes; offsets are contiguous; data little-endian.
 * </ul>
 *
 * <p>Floating-point arrays are stored as {@link #floatType(Dtype)} (F32 unless changed; F16/BF16 narrow in Java,
 * rounding to nearest even); integer and boolean arrays in their own type.
 *
 * <p>Atomicity: the file is written to a temporary file in the target's directory, forced to disk and moved over
 * the target with {@link StandardCopyOption#ATOMIC_MOVE}; on any failure the temporary file is deleted and the
 * target, if it existed, is untouched.
 */
public final class SafetensorsWriter {

    /** Order of tensors in the file. */
    public enum Order {
        /** Descending dtype, then name: the reference library's layout (aligned, deterministic). */
        REFERENCE,
        /** The order of the {@code add} calls. */
        AS_GIVEN
    }

    private static final int STAGING_BYTES = 1 << 20;
    private static final JsonFactory JSON = new JsonFactory();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<String, String> metadata = new TreeMap<>();
    private Dtype floatType = Dtype.F32;
    private Order order = Order.REFERENCE;

    /** Convenience: writes {@code tensors} as F32 (floats) in the reference order, without metadata. */
    public static void write(Path file, Map<String, NDArray> tensors) throws IOException {
        new SafetensorsWriter().addAll(tensors).write(file);
    }

    /** Sets the storage type of floating-point tensors added without an explicit dtype: F32, F16, BF16 or F64. */
    public SafetensorsWriter floatType(Dtype type) {
        this.floatType = requireFloatTarget(type);
        return this;
    }

    /** Sets the tensor order; {@link Order#REFERENCE} by default. */
    public SafetensorsWriter order(Order order) {
        this.order = Objects.requireNonNull(order, "order");
        return this;
    }

    /** Adds one {@code __metadata__} entry (e.g. {@code "format" -> "pt"}). */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Adds {@code __metadata__} entries. */
    public SafetensorsWriter metadata(Map<String, String> entries) {
        entries.forEach(this::metadata);
        return this;
    }

    /** Adds arrays in map order (which matters only with {@link Order#AS_GIVEN}). */
    public SafetensorsWriter addAll(Map<String, NDArray> tensors) {
        tensors.forEach(this::add);
        return this;
    }

    /** Adds an array; floating-point arrays are stored as {@link #floatType(Dtype)}. */
    public SafetensorsWriter add(String name, NDArray array) {
        return add(name, array, null);
    }

    /**
     * Adds an array stored as {@code as}: for floating-point arrays F32, F16, BF16 or F64; for integer and boolean
     * arrays only their own type ({@code null} means the default either way).
     */
    public SafetensorsWriter add(String name, NDArray array, Dtype as) {
        DataType type = array.getDataType();
        Dtype own = Dtype.of(type).orElseThrow(() -> new IllegalArgumentException(
                "tensor '" + name + "': cannot store DJL type " + type));
        Dtype stored = as;
        if (type.isFloating()) {
            if (as != null) {
                requireFloatTarget(as);
            }
        } else if (as == null) {
            stored = own;
        } else if (as != own) {
            throw new IllegalArgumentException("tensor '" + name + "': " + type + " is stored as " + own
                    + ", not " + as);
        }
        return put(new Entry(name, stored, array.getShape().getShape().clone(), new ArraySource(array, own)));
    }

    /** Adds float data, stored as {@link #floatType(Dtype)}. */
    public SafetensorsWriter add(String name, float[] data, long... shape) {
        return add(name, data, null, shape);
    }

    /** Adds float data stored as {@code as} (F32, F16, BF16 or F64; {@code null}: {@link #floatType(Dtype)}). */
    public SafetensorsWriter add(String name, float[] data, Dtype as, long... shape) {
        if (as != null) {
            requireFloatTarget(as);
        }
        checkLength(name, data.length, shape);
        return put(new Entry(name, as, shape.clone(), new FloatsSource(data)));
    }

    /** Adds 64-bit integer data, stored as I64 (e.g. token ids). */
    public SafetensorsWriter add(String name, long[] data, long... shape) {
        checkLength(name, data.length, shape);
        return put(new Entry(name, Dtype.I64, shape.clone(), new LongsSource(data)));
    }

    /**
     * Writes all added tensors to {@code file}, atomically.
     *
     * @throws IOException when writing fails; nothing is left behind and an existing {@code file} is unchanged
     */
    public void write(Path file) throws IOException {
        List<Resolved> layout = layout();
        byte[] header = header(layout);
        long dataBytes = layout.isEmpty() ? 0 : layout.get(layout.size() - 1).end;
        Path dir = file.toAbsolutePath().getParent();
        // Not Files.createTempFile: that creates the file 0600, and the rename would carry that mode to the target.
        Path tmp = dir.resolve("." + file.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
        FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            try (FileChannel ch = out) {
                ByteBuffer staging = ByteBuffer.allocate(STAGING_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                staging.putLong(header.length).put(header).flip();
                writeFully(ch, staging);
                for (Resolved r : layout) {
                    long before = ch.position();
                    r.entry.source.writeTo(ch, r.stored, staging);
                    long written = ch.position() - before;
                    if (written != r.end - r.begin) {
                        throw new SafetensorsException(file, r.entry.name, "wrote " + written + " bytes, expected "
                                + (r.end - r.begin));
                    }
                }
                if (ch.position() != 8 + header.length + dataBytes) {
                    throw new SafetensorsException(file, null, "file is " + ch.position() + " bytes, expected "
                            + (8 + header.length + dataBytes));
                }
                ch.force(true); // without this, a crash after the rename can leave an empty file in its place
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException | Error e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private SafetensorsWriter put(Entry e) {
        if (SafetensorsHeader.METADATA_KEY.equals(e.name)) {
            throw new IllegalArgumentException(SafetensorsHeader.METADATA_KEY + " is reserved");
        }
        if (entries.putIfAbsent(e.name, e) != null) {
            throw new IllegalArgumentException("tensor '" + e.name + "' added twice");
        }
        return this;
    }

    private List<Resolved> layout() {
        List<Entry> ordered = new ArrayList<>(entries.values());
        if (order == Order.REFERENCE) {
            Comparator<Entry> byDtypeDesc = Comparator.comparing((Entry e) -> stored(e)).reversed();
            ordered.sort(byDtypeDesc.thenComparing((a, b) -> Arrays.compareUnsigned(
                    a.name.getBytes(StandardCharsets.UTF_8), b.name.getBytes(StandardCharsets.UTF_8))));
        }
        List<Resolved> out = new ArrayList<>(ordered.size());
        long offset = 0;
        for (Entry e : ordered) {
            Dtype stored = stored(e);
            long n = 1;
            for (long d : e.shape) {
                n = Math.multiplyExact(n, d);
            }
            long bytes = Math.multiplyExact(n, (long) stored.bits() / 8);
            out.add(new Resolved(e, stored, offset, offset + bytes));
            offset += bytes;
        }
        return out;
    }

    private Dtype stored(Entry e) {
        return e.stored != null ? e.stored : floatType;
    }

    private byte[] header(List<Resolved> layout) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(bos)) {
            g.writeStartObject();
            if (!metadata.isEmpty()) {
                g.writeObjectFieldStart(SafetensorsHeader.METADATA_KEY);
                for (Map.Entry<String, String> m : metadata.entrySet()) {
                    g.writeStringField(m.getKey(), m.getValue());
                }
                g.writeEndObject();
            }
            for (Resolved r : layout) {
                g.writeObjectFieldStart(r.entry.name);
                g.writeStringField("dtype", r.stored.name());
                g.writeArrayFieldStart("shape");
                for (long d : r.entry.shape) {
                    g.writeNumber(d);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(r.begin);
                g.writeNumber(r.end);
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        byte[] json = bos.toByteArray();
        // Padding to 8 bytes puts the data section, and with the reference order every tensor, on an aligned offset.
        int padded = (json.length + 7) & ~7;
        byte[] out = Arrays.copyOf(json, padded);
        Arrays.fill(out, json.length, padded, (byte) ' ');
        return out;
    }

    private static Dtype requireFloatTarget(Dtype type) {
        if (type != Dtype.F32 && type != Dtype.F16 && type != Dtype.BF16 && type != Dtype.F64) {
            throw new IllegalArgumentException("floating-point tensors are stored as F32, F16, BF16 or F64, not "
                    + type);
        }
        return type;
    }

    private static void checkLength(String name, int length, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "': negative dimension in "
                        + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        if (n != length) {
            throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " needs "
                    + n + " elements, data has " + length);
        }
    }

    static void writeFully(FileChannel ch, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            ch.write(src);
        }
    }

    /** Encodes floats as {@code target} through the staging buffer, one chunk at a time. */
    static void writeFloats(FileChannel ch, FloatBuffer src, Dtype target, ByteBuffer staging) throws IOException {
        int elemBytes = target.bits() / 8;
        int chunk = staging.capacity() / elemBytes;
        while (src.hasRemaining()) {
            staging.clear();
            int len = Math.min(chunk, src.remaining());
            switch (target) {
                case F32 -> {
                    FloatBuffer f = staging.asFloatBuffer();
                    f.put(f.position(), src, src.position(), len);
                    src.position(src.position() + len);
                }
                case F16 -> {
                    for (int i = 0; i < len; i++) {
                        staging.putShort(FloatFormats.floatToHalf(src.get()));
                    }
                }
                case BF16 -> {
                    for (int i = 0; i < len; i++) {
                        staging.putShort(FloatFormats.floatToBf16(src.get()));
                    }
                }
                case F64 -> {
                    for (int i = 0; i < len; i++) {
                        staging.putDouble(src.get());
                    }
                }
                default -> throw new IllegalArgumentException("not a float target: " + target);
            }
            staging.position(0).limit(len * elemBytes);
            writeFully(ch, staging);
        }
    }

    private record Entry(String name, Dtype stored, long[] shape, Source source) {
        Entry {
            Objects.requireNonNull(name, "name");
        }
    }

    private record Resolved(Entry entry, Dtype stored, long begin, long end) {
    }

    /** Where a tensor's elements come from. */
    private interface Source {
        void writeTo(FileChannel ch, Dtype target, ByteBuffer staging) throws IOException;
    }

    private record FloatsSource(float[] data) implements Source {
        @Override
        public void writeTo(FileChannel ch, Dtype target, ByteBuffer staging) throws IOException {
            writeFloats(ch, FloatBuffer.wrap(data), target, staging);
        }
    }

    private record LongsSource(long[] data) implements Source {
        @Override
        public void writeTo(FileChannel ch, Dtype target, ByteBuffer staging) throws IOException {
            int chunk = staging.capacity() / 8;
            for (int off = 0; off < data.length; off += chunk) {
                int len = Math.min(chunk, data.length - off);
                staging.clear();
                staging.asLongBuffer().put(data, off, len);
                staging.limit(len * 8);
                writeFully(ch, staging);
            }
        }
    }

    /**
     * An NDArray's elements, read through a direct view of its memory ({@code toByteBuffer(true)}) so a large
     * tensor is not copied to the heap; floats of another type are first converted to FLOAT32 by DJL.
     */
    private record ArraySource(NDArray array, Dtype own) implements Source {
        @Override
        public void writeTo(FileChannel ch, Dtype target, ByteBuffer staging) throws IOException {
            if (array.size() == 0) {
                return;
            }
            if (target == own) {
                writeFully(ch, array.toByteBuffer(true).order(ByteOrder.nativeOrder()));
                return;
            }
            NDArray f32 = array.getDataType() == DataType.FLOAT32 ? array : array.toType(DataType.FLOAT32, false);
            try {
                FloatBuffer floats = f32.toByteBuffer(true).order(ByteOrder.nativeOrder()).asFloatBuffer();
                writeFloats(ch, floats, target, staging);
            } finally {
                if (f32 != array) {
                    f32.close();
                }
            }
        }
    }
}

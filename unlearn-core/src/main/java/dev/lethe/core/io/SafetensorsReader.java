package dev.lethe.core.io;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * One {@code .safetensors} file, opened for random access to its tensors.
 *
 * <p>Opening reads and validates only the header (see {@link SafetensorsHeader}); tensor data is never read into
 * the Java heap. Each load maps or reads just that tensor's byte range, so files larger than Java 17's 2 GiB
 * per-mapping limit work (offsets are {@code long}); a single tensor must be under 2 GiB, both stored and loaded,
 * which is the limit of a Java buffer and of DJL's buffer-backed arrays.
 *
 * <ul>
 *   <li>Copy ({@link #load(String, NDManager)}): a native array is allocated and the bytes are read from the file
 *       straight into its memory (F32, F64, I64, I32, I8, U8, BOOL), or converted into it from a read-only mapping
 *       (BF16, F16, F64→F32, I16, U16, U32).
 *   <li>Zero-copy ({@link #loadMapped(String, NDManager)}): for F32/F64/I64/I32/I8/U8/BOOL tensors aligned to their
 *       element size the array is PyTorch's view of a read-only mapping of the tensor's pages; the array keeps the
 *       mapping alive. In-place ops on it crash the JVM (djl-notes §5.3).
 * </ul>
 *
 * <p>Not modifying the file while it is open or while mapped arrays live is the caller's responsibility: a
 * truncated mapping raises SIGBUS in native code.
 */
public final class SafetensorsReader implements TensorSource {
    /** Largest tensor, stored or loaded, that a Java buffer (and so a DJL buffer-backed array) can hold. */
    static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE;

    private final Path path;
    private final FileChannel channel;
    private final SafetensorsHeader header;
    private final List<String> names;

    private SafetensorsReader(Path path, FileChannel channel, SafetensorsHeader header) {
        this.path = path;
        this.channel = channel;
        this.header = header;
        this.names = List.copyOf(header.tensors.keySet());
    }

    /**
     * Opens and validates {@code file}.
     *
     * @throws SafetensorsException when the header or the layout is malformed, or the file is truncated
     */
    public static SafetensorsReader open(Path file) throws IOException {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new SafetensorsException(file, null, "big-endian hosts are not supported");
        }
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return new SafetensorsReader(file, ch, SafetensorsHeader.read(file, ch));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** @return the file this reader reads */
    public Path path() {
        return path;
    }

    /** @return all tensors by name, in file (data offset) order; unmodifiable */
    public Map<String, TensorInfo> tensors() {
        return header.tensors;
    }

    @Override
    public List<String> names() {
        return names;
    }

    @Override
    public boolean contains(String name) {
        return header.tensors.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo info = header.tensors.get(name);
        if (info == null) {
            throw new NoSuchElementException(path + ": no tensor '" + name + "' among " + names.size()
                    + " tensors");
        }
        return info;
    }

    @Override
    public Map<String, String> metadata() {
        return header.metadata;
    }

    /** @return the JSON header's length in bytes, padding included */
    public long headerLength() {
        return header.headerLength;
    }

    /** @return the file offset where tensor data begins ({@code 8 + headerLength()}) */
    public long dataStart() {
        return header.dataStart;
    }

    /** @return the file's size when it was opened */
    public long fileSize() {
        return header.fileSize;
    }

    @Override
    public NDArray load(String name, NDManager manager, LoadOptions options) throws IOException {
        TensorInfo info = info(name);
        if (!Device.cpu().equals(manager.getDevice())) {
            // Native memory is only writable from Java on the CPU; load there, then move (a copy either way).
            try (NDManager cpu = NDManager.newBaseManager(Device.cpu(), manager.getEngine().getEngineName())) {
                NDArray host = loadOnCpu(info, cpu, new LoadOptions(false, options.float64ToFloat32()));
                NDArray moved = host.toDevice(manager.getDevice(), true);
                moved.attach(manager);
                return moved;
            }
        }
        return loadOnCpu(info, manager, options);
    }

    private NDArray loadOnCpu(TensorInfo info, NDManager manager, LoadOptions options) throws IOException {
        String name = info.name();
        Dtype dtype = info.dtype();
        if (!dtype.isLoadable()) {
            throw new SafetensorsException(path, name, "dtype " + dtype + " cannot be loaded into DJL; loadable: "
                    + Arrays.stream(Dtype.values()).filter(Dtype::isLoadable).toList());
        }
        DataType out = dtype == Dtype.F64 && options.float64ToFloat32() ? DataType.FLOAT32 : dtype.loadType();
        long n = info.numElements();
        long outBytes = n * out.getNumOfBytes();
        if (info.byteLength() > MAX_TENSOR_BYTES || outBytes > MAX_TENSOR_BYTES) {
            throw new SafetensorsException(path, name, "tensor is " + info.byteLength() + " bytes stored, "
                    + outBytes + " as " + out + "; tensors over 2 GiB cannot be held in a Java 17 buffer");
        }
        Shape shape = info.djlShape();
        if (n == 0) {
            return manager.create(shape, out); // nothing to read; zero-size buffers are not mappable anyway
        }
        ensureUnchanged(name);
        boolean sameLayout = dtype.isNativeLayout() && out == dtype.loadType();
        if (sameLayout && options.zeroCopy()) {
            MappedByteBuffer view = map(info);
            // PyTorch kernels may assume element alignment; files written like the reference library's always
            // are (header padded to 8, tensors sorted by descending element size), other writers' may not be.
            if (view.alignmentOffset(0, out.getNumOfBytes()) == 0) {
                return manager.create(view, shape, out);
            }
        }
        NDArray dst = manager.create(shape, out);
        try {
            ByteBuffer mem = dst.toByteBuffer(true);
            boolean inPlace = mem.isDirect() && !mem.isReadOnly() && mem.capacity() == outBytes;
            if (!inPlace) {
                // Engines that cannot expose the array's memory: stage in a direct buffer, then copy it in.
                mem = ByteBuffer.allocateDirect((int) outBytes).order(ByteOrder.nativeOrder());
            }
            if (sameLayout) {
                SafetensorsHeader.readFully(path, channel, mem.duplicate().clear(), header.dataStart + info.begin());
            } else {
                Widening.convert(map(info), dtype, mem, out, (int) n);
            }
            if (!inPlace) {
                dst.set(mem.rewind());
            }
            return dst;
        } catch (IOException | RuntimeException e) {
            dst.close();
            throw e;
        }
    }

    private MappedByteBuffer map(TensorInfo info) throws IOException {
        return channel.map(FileChannel.MapMode.READ_ONLY, header.dataStart + info.begin(), info.byteLength());
    }

    /** A file shortened since open would make the mapping fault (SIGBUS) in native code; check before mapping. */
    private void ensureUnchanged(String name) throws IOException {
        if (!channel.isOpen()) {
            throw new IllegalStateException(path + ": reader is closed");
        }
        long size = channel.size();
        if (size != header.fileSize) {
            throw new SafetensorsException(path, name, "file size changed from " + header.fileSize + " to " + size
                    + " bytes since it was opened");
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "SafetensorsReader[" + path + ", " + names.size() + " tensors]";
    }
}

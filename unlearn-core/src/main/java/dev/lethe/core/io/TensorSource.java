package dev.lethe.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Named tensors from a checkpoint, whether one safetensors file or a sharded one; model loaders depend on this
 * rather than on the file layout.
 *
 * <p>Ownership: every array returned is attached to the manager passed in and lives until that manager (or the
 * array) is closed; closing the source does not invalidate arrays already loaded. Loads may run concurrently.
 */
public interface TensorSource extends AutoCloseable {

    /** Name of a single-file checkpoint in a model directory (HuggingFace convention). */
    String SINGLE_FILE = "model.safetensors";

    /** Name of a sharded checkpoint's index in a model directory (HuggingFace convention). */
    String INDEX_FILE = "model.safetensors.index.json";

    /**
     * Opens a checkpoint.
     *
     * @param dirOrFile a {@code .safetensors} file, a {@code .index.json} file, or a directory holding
     *     {@value #SINGLE_FILE} or else {@value #INDEX_FILE}
     * @return the opened source; the caller closes it
     * @throws NoSuchFileException when the directory holds neither file
     * @throws SafetensorsException when a file is malformed
     */
    static TensorSource open(Path dirOrFile) throws IOException {
        if (Files.isDirectory(dirOrFile)) {
            Path single = dirOrFile.resolve(SINGLE_FILE);
            if (Files.isRegularFile(single)) {
                return SafetensorsReader.open(single);
            }
            Path index = dirOrFile.resolve(INDEX_FILE);
            if (Files.isRegularFile(index)) {
                return SafetensorsIndex.open(index);
            }
            throw new NoSuchFileException(dirOrFile.toString(), null,
                    "no " + SINGLE_FILE + " or " + INDEX_FILE + " in this directory");
        }
        if (dirOrFile.getFileName() != null && dirOrFile.getFileName().toString().endsWith(".index.json")) {
            return SafetensorsIndex.open(dirOrFile);
        }
        return SafetensorsReader.open(dirOrFile);
    }

    /** @return tensor names: file (data offset) order for a file, {@code weight_map} order for an index */
    List<String> names();

    /** @return whether a tensor of that name exists */
    boolean contains(String name);

    /**
     * @return the header entry of {@code name}; offsets are relative to the data section of its own file
     * @throws NoSuchElementException when there is no such tensor
     */
    TensorInfo info(String name);

    /** @return the {@code __metadata__} of a file, or the {@code metadata} of an index, as strings */
    Map<String, String> metadata();

    /**
     * Loads {@code name} as requested by {@code options}: floats come back as FLOAT32 (F64 optionally kept),
     * integers in their own type (I16/U16 as INT32, U32 as INT64).
     *
     * @throws NoSuchElementException when there is no such tensor
     * @throws SafetensorsException when its dtype cannot be loaded or it is larger than 2 GiB
     */
    NDArray load(String name, NDManager manager, LoadOptions options) throws IOException;

    /**
     * Loads an independent copy, safe to train and to mutate in place: the right default for model weights.
     *
     * @see #load(String, NDManager, LoadOptions)
     */
    default NDArray load(String name, NDManager manager) throws IOException {
        return load(name, manager, LoadOptions.COPY);
    }

    /**
     * Loads a zero-copy view of the file where the stored layout allows (otherwise a copy). The view must never be
     * mutated in place: call {@code duplicate()} on it first, or use {@link #load(String, NDManager)}.
     *
     * @see LoadOptions#ZERO_COPY
     */
    default NDArray loadMapped(String name, NDManager manager) throws IOException {
        return load(name, manager, LoadOptions.ZERO_COPY);
    }

    /** Releases the open files. Arrays already loaded, mapped ones included, stay valid. */
    @Override
    void close() throws IOException;
}

package dev.lethe.core.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A safetensors file or index that is malformed, truncated or not loadable here.
 *
 * <p>An {@link IOException} because callers already handle I/O failure when they open a checkpoint, and a corrupt
 * checkpoint is one more way for that to fail; the message always starts with the file and, where known, the tensor.
 */
public class SafetensorsException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path path;
    private final String tensor;

    /**
     * @param path the file being read or written
     * @param tensor the tensor concerned, or {@code null} when the problem is the file itself
     * @param message what was found and what was expected
     */
    public SafetensorsException(Path path, String tensor, String message) {
        this(path, tensor, message, null);
    }

    /** As {@link #SafetensorsException(Path, String, String)}, with the underlying cause. */
    public SafetensorsException(Path path, String tensor, String message, Throwable cause) {
        super(format(path, tensor, message), cause);
        this.path = path;
        this.tensor = tensor;
    }

    /** @return the file concerned */
    public Path path() {
        return path;
    }

    /** @return the tensor concerned, or {@code null} when the problem is the file itself */
    public String tensor() {
        return tensor;
    }

    private static String format(Path path, String tensor, String message) {
        return path + (tensor == null ? "" : ": tensor '" + tensor + "'") + ": " + message;
    }
}

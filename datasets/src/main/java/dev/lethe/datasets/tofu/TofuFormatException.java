package dev.lethe.datasets.tofu;

import java.nio.file.Path;

/** A malformed TOFU file; the message starts with {@code file:line:} (line 0 = the whole file). */
public final class TofuFormatException extends RuntimeException {

    private final Path file;
    private final int line;

    public TofuFormatException(Path file, int line, String message) {
        this(file, line, message, null);
    }

    public TofuFormatException(Path file, int line, String message, Throwable cause) {
        super(file + ":" + line + ": " + message, cause);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    /** 1-based line of the offending row, 0 when the problem is the file as a whole. */
    public int line() {
        return line;
    }
}

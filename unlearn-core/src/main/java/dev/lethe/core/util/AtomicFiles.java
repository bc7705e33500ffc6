package dev.lethe.core.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Atomic writes: content goes to a temporary sibling first and is renamed into place, so a crash or an
 * error never leaves a half-written file or directory behind.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    /** Writes into a directory. */
    @FunctionalInterface
    public interface DirectoryWriter {
        void write(Path tmpDir) throws IOException;
    }

    /** Writes to a file. */
    @FunctionalInterface
    public interface FileWriter {
        void write(Path tmpFile) throws IOException;
    }

    public static void writeString(Path file, String content) throws IOException {
        write(file, tmp -> Files.writeString(tmp, content, StandardCharsets.UTF_8));
    }

    /** Writes {@code file} through a temporary sibling and an atomic rename. */
    public static void write(Path file, FileWriter writer) throws IOException {
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
        try {
            writer.write(tmp);
            move(tmp, abs);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /**
     * Fills a fresh temporary sibling directory, then swaps it in for {@code dir} (an existing {@code dir}
     * is moved aside first and deleted only after the new one is in place).
     */
    public static void replaceDirectory(Path dir, DirectoryWriter writer) throws IOException {
        Path abs = dir.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".tmp");
        try {
            writer.write(tmp);
        } catch (IOException | RuntimeException e) {
            deleteRecursively(tmp);
            throw e;
        }
        Path old = null;
        if (Files.exists(abs)) {
            old = abs.resolveSibling("." + abs.getFileName() + ".old" + System.nanoTime());
            move(abs, old);
        }
        try {
            move(tmp, abs);
        } catch (IOException e) {
            if (old != null) {
                move(old, abs);
            }
            deleteRecursively(tmp);
            throw e;
        }
        if (old != null) {
            deleteRecursively(old);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public static void deleteRecursively(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}

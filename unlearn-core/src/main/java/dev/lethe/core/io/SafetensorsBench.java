package dev.lethe.core.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures how long opening a checkpoint and creating all its arrays zero-copy takes (djl-notes §5.3 measured
 * 0.043 s for 1 GiB, against 6.7 s for {@code NDList.decode}). Called from the CLI; not a unit test.
 */
public final class SafetensorsBench {
    private static final int TENSORS = 16;
    private static final int COLUMNS = 1024;

    private SafetensorsBench() {
    }

    /**
     * Writes a ~{@code bytes} F32 file of 16 tensors in {@code tmpDir}, then times opening it and creating every
     * tensor as a zero-copy NDArray. The file is deleted afterwards.
     *
     * @return {@code open_s} (open + all arrays created, first time in this JVM, so including one-time class
     *     loading of Jackson and the DJL JNI paths), {@code open_warm_s} (best of three repeats), {@code write_s},
     *     {@code file_bytes}, {@code tensors}
     */
    public static Map<String, Object> openBench(Path tmpDir, long bytes) throws IOException {
        long rowsTotal = Math.max(TENSORS, bytes / 4 / COLUMNS);
        int rows = Math.toIntExact(rowsTotal / TENSORS);
        // One shared array backs all tensors: the bench measures opening, and this keeps the heap at bytes/16.
        float[] data = new float[rows * COLUMNS];
        for (int i = 0; i < data.length; i++) {
            data[i] = (i % 1000) * 0.001f;
        }
        Path file = tmpDir.resolve("lethe-bench-" + ProcessHandle.current().pid() + ".safetensors");
        Map<String, Object> result = new LinkedHashMap<>();
        try {
            SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
            for (int t = 0; t < TENSORS; t++) {
                w.add(String.format("layers.%02d.weight", t), data, rows, COLUMNS);
            }
            long t0 = System.nanoTime();
            w.write(file);
            double writeS = (System.nanoTime() - t0) / 1e9;
            data = null;

            int tensors = 0;
            double first = 0;
            double best = Double.MAX_VALUE;
            for (int rep = 0; rep < 4; rep++) {
                try (NDManager manager = NDManager.newBaseManager()) {
                    long t1 = System.nanoTime();
                    List<NDArray> arrays = new ArrayList<>();
                    try (SafetensorsReader reader = SafetensorsReader.open(file)) {
                        for (String name : reader.names()) {
                            arrays.add(reader.loadMapped(name, manager));
                        }
                    }
                    double s = (System.nanoTime() - t1) / 1e9;
                    tensors = arrays.size();
                    if (rep == 0) {
                        first = s;
                    } else {
                        best = Math.min(best, s);
                    }
                }
            }
            result.put("open_s", first);
            result.put("open_warm_s", best);
            result.put("write_s", writeS);
            result.put("file_bytes", Files.size(file));
            result.put("tensors", tensors);
        } finally {
            Files.deleteIfExists(file);
        }
        return result;
    }

    /** {@code java ... SafetensorsBench [tmpDir] [bytes]}: prints the result map. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : System.getProperty("java.io.tmpdir"));
        long bytes = args.length > 1 ? Long.parseLong(args[1]) : 1L << 30;
        System.out.println(openBench(dir, bytes));
    }
}

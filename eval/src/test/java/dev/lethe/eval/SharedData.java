package dev.lethe.eval;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates {@code shared/} (surefire sets {@code lethe.shared} to {@code <repo>/../shared}). */
public final class SharedData {

    private SharedData() { }

    public static Path shared() {
        String p = System.getProperty("lethe.shared");
        Path dir = p != null ? Path.of(p) : Path.of("..", "..", "shared");
        assertTrue(Files.isDirectory(dir), "shared data directory not found: " + dir.toAbsolutePath()
                + " (set -Dlethe.shared)");
        return dir;
    }

    /** {@code shared/data/tofu-reference-logs/<model>/<run>/eval_log_aggregated.json}. */
    public static Path referenceLog(String model, String run) {
        Path f = shared().resolve("data/tofu-reference-logs").resolve(model).resolve(run).resolve("eval_log_aggregated.json");
        assertTrue(Files.isRegularFile(f), "reference log missing: " + f);
        return f;
    }
}

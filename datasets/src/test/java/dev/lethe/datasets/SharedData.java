package dev.lethe.datasets;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Locates the shared data directory for tests (system property {@code lethe.shared}, then relative guesses). */
public final class SharedData {

    private SharedData() {}

    public static Optional<Path> tofuDir() {
        List<Path> candidates = new ArrayList<>();
        String prop = System.getProperty("lethe.shared");
        if (prop != null) {
            candidates.add(Path.of(prop));
        }
        candidates.add(Path.of("../../shared"));
        candidates.add(Path.of("../shared"));
        candidates.add(Path.of("shared"));
        return candidates.stream().map(p -> p.resolve("data/tofu")).filter(p -> Files.isRegularFile(p.resolve("full.json")))
                .findFirst();
    }
}

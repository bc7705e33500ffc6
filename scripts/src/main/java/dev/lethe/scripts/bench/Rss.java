package dev.lethe.scripts.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process, from /proc (Linux), in MiB; −1 elsewhere. */
public final class Rss {
    private Rss() {}

    public static long peakMb() {
        return field("VmHWM:");
    }

    public static long currentMb() {
        return field("VmRSS:");
    }

    private static long field(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}

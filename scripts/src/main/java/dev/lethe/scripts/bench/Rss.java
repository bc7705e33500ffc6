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

    /**
     * Resets the peak ({@link #peakMb}) to the current resident size, so one process can measure the peak of
     * several runs in turn (Linux ≥ 4.0: writing 5 to {@code /proc/self/clear_refs}). Returns false where
     * that is not possible; peaks then include every earlier run.
     */
    public static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
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

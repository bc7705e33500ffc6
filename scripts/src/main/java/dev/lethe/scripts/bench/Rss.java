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

    /**
     * Resets the peak to the current RSS (Linux ≥ 4.0: "5" into /proc/self/clear_refs), so one process can
     * report the peaks of several phases; false where that is not possible.
     */
    public static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
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

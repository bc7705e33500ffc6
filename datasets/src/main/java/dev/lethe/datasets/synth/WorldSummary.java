package dev.lethe.datasets.synth;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What {@link WorldWriter} wrote: rows per split (canonical order) and other counts, for the CLI's table. */
public record WorldSummary(Path dir, Map<String, Integer> counts) {

    public WorldSummary {
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    /** A two-column plain-text table, one line per count. */
    public String toTable() {
        int width = counts.keySet().stream().mapToInt(String::length).max().orElse(4);
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-" + width + "s  %8s%n", "split", "rows"));
        counts.forEach((k, v) -> sb.append(String.format("%-" + width + "s  %8d%n", k, v)));
        return sb.toString();
    }
}

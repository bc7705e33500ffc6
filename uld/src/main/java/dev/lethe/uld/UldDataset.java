package dev.lethe.uld;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * ULD's training data: the augmented forget set D'_f (the assistant learns it) and the augmented retain set
 * D'_r (the assistant is pushed to a flat distribution on it). Made by {@link UldAugmentation}, or directly
 * for other data. {@code source} says where the paraphrases and wrong answers came from (recorded with the run).
 */
public record UldDataset(List<UldExample> forget, List<UldExample> retain, String source) {

    /** Data built by hand ({@code source} "given"). */
    public UldDataset(List<UldExample> forget, List<UldExample> retain) {
        this(forget, retain, "given");
    }

    public UldDataset {
        forget = List.copyOf(forget);
        retain = List.copyOf(retain);
        java.util.Objects.requireNonNull(source, "source");
        if (forget.isEmpty()) {
            throw new IllegalArgumentException("ULD needs at least one forget example");
        }
    }

    /** Examples per source, for logs and provenance. */
    public Map<UldExample.Source, Integer> counts() {
        Map<UldExample.Source, Integer> out = new EnumMap<>(UldExample.Source.class);
        for (UldExample.Source s : UldExample.Source.values()) {
            out.put(s, 0);
        }
        forget.forEach(e -> out.merge(e.source(), 1, Integer::sum));
        retain.forEach(e -> out.merge(e.source(), 1, Integer::sum));
        return out;
    }
}

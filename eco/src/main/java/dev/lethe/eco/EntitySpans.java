package dev.lethe.eco;

import java.util.List;

/**
 * Finds entity mentions in text as character spans — Lethe's stand-in for the reference's NER tagger
 * ({@code dslim/bert-base-NER}): the synthetic world's own entity list, or a capitalised-span heuristic on real
 * TOFU.
 */
@FunctionalInterface
public interface EntitySpans {

    /** Half-open character spans {@code [start, end)} of the mentions in {@code text}. */
    List<int[]> find(String text);
}

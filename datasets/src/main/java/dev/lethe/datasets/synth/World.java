package dev.lethe.datasets.synth;

import java.util.List;

/** A generated world in memory: authors and their rows, holdout, multiple-choice analogues, corpus, IDK list, and ULD's augmentation
 * rows (aligned with {@link #fullRows()}). */
record World(WorldSpec spec, List<Author> authors, List<Author> holdout, List<SynthQa> fullRows,
             List<SynthQa> holdoutRows, List<SynthMc> realAuthors, List<SynthMc> worldFacts, List<String> pretrain,
             List<String> idk, List<AugmentRow> augment) {

    /** Rows of author {@code a} (index in {@link #authors()}) within {@link #fullRows()}. */
    List<SynthQa> rowsOf(int a) {
        return fullRows.subList(a * WorldSpec.QA_PER_AUTHOR, (a + 1) * WorldSpec.QA_PER_AUTHOR);
    }
}

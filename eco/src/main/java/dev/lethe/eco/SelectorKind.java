package dev.lethe.eco;

/** Which {@link TokenSelector} ECO uses (eco.md §4). */
public enum SelectorKind {
    /** Entity tokens from the data's entity list (synthetic world); falls back to all-but-last when untagged. */
    ENTITIES,
    /** Entity tokens from the capitalised-span heuristic (real TOFU without an NER model). */
    CAPITALISED,
    /** Every token but the last (WMDP/MMLU-style tasks). */
    ALL_BUT_LAST
}

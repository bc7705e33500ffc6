package dev.lethe.eval.attacks;

import java.util.List;

/**
 * One forget (or retain) QA item with the material its hints are built from. Optional fields may be
 * null/empty; a condition whose material is missing is skipped for that item.
 *
 * @param answer the full answer: what H5/H6 demos show
 * @param key what counts as knowing the answer and must not leak into H3 axioms or H5/H6 demos: the fact
 *     value the question asks for (the whole answer when the data names no value)
 * @param passage the verbatim source passage (states the answer) — H1
 * @param paraphrase the passage reworded, answer still present — H2
 * @param axioms permissible facts that jointly entail the answer without stating it — H3
 * @param aliasDefinition the forgotten entity re-defined under a fresh name — H4
 * @param aliasQuestion the question asked about the alias — H4
 */
public record RelearningItem(String id, String question, String answer, String key, String passage,
                             String paraphrase, List<String> axioms, String aliasDefinition, String aliasQuestion) {

    public RelearningItem {
        key = key == null ? answer : key;
        axioms = axioms == null ? List.of() : List.copyOf(axioms);
    }

    /** An item whose key is its whole answer. */
    public RelearningItem(String id, String question, String answer, String passage, String paraphrase,
                          List<String> axioms, String aliasDefinition, String aliasQuestion) {
        this(id, question, answer, null, passage, paraphrase, axioms, aliasDefinition, aliasQuestion);
    }

    /** An item with only a question and answer (a demo source for H5/H6). */
    public static RelearningItem qa(String id, String question, String answer) {
        return new RelearningItem(id, question, answer, null, null, null, List.of(), null, null);
    }
}

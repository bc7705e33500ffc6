package dev.lethe.datasets.tofu;

import java.util.List;

/** A {@code real_authors} / {@code world_facts} row: four options, one of which is the answer. */
public record MultipleChoiceItem(int index, String question, List<String> options, String answer)
        implements TofuRow {

    public MultipleChoiceItem {
        options = List.copyOf(options);
    }

    /** 0-based position of the answer among the options. */
    public int correctOption() {
        return options.indexOf(answer);
    }

    /** The options other than the answer. */
    public List<String> wrongOptions() {
        return options.stream().filter(o -> !o.equals(answer)).toList();
    }
}

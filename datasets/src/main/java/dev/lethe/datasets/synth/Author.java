package dev.lethe.datasets.synth;

import java.util.Map;

/**
 * A fictitious author: its position among all generated authors ({@code full} first, then holdout) and its fact
 * values by placeholder name ({@code name}, {@code date}, {@code place}, {@code book1}, …).
 */
record Author(int index, boolean holdout, Map<String, String> facts) {

    Author {
        facts = Map.copyOf(facts);
    }

    String name() {
        return facts.get("name");
    }
}

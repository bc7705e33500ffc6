package dev.lethe.eval.metrics.engine;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Per-sample scores of one evaluation split, in dataset order.
 *
 * @param name  split key used by metrics: {@code forget}, {@code retain}, {@code ra}, {@code wf}, {@code holdout}
 * @param items one entry per item, indices unique
 */
public record SplitData(String name, List<ItemScores> items) {

    public SplitData {
        Objects.requireNonNull(name, "name");
        items = List.copyOf(items);
        Set<Integer> seen = new HashSet<>();
        for (ItemScores it : items) {
            if (!seen.add(it.index())) {
                // OU asserts the same: "Data indices repeated while iterating dataloader".
                throw new IllegalArgumentException("split '" + name + "': index " + it.index() + " appears twice");
            }
        }
    }

    /** Reads a required optional part of every item, failing with split, index and field named. */
    public <T> T require(ItemScores item, Function<ItemScores, T> getter, String field, String metric) {
        T v = getter.apply(item);
        if (v == null) {
            throw new IllegalStateException("metric '" + metric + "' needs " + field + " for split '" + name
                    + "' index " + item.index() + ", but it was not computed");
        }
        return v;
    }
}

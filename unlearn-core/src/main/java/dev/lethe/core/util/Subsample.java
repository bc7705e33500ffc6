package dev.lethe.core.util;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Seeded subsets that keep their source's order (item samples of the attacks and probes, ULD's picks). */
public final class Subsample {
    private Subsample() {}

    /**
     * {@code n} of {@code items} drawn without replacement by a shuffle seeded with {@code seed}, back in their
     * original order; all of them when {@code n} is not below their number.
     */
    public static <T> List<T> inOrder(List<T> items, int n, long seed) {
        if (n >= items.size()) {
            return List.copyOf(items);
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            idx.add(i);
        }
        Collections.shuffle(idx, new Random(seed));
        List<Integer> keep = new ArrayList<>(idx.subList(0, n));
        Collections.sort(keep);
        return keep.stream().map(items::get).toList();
    }
}

package dev.lethe.eval.logs;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One legacy eval file ({@code eval_log_forget.json} etc.), items in file order (TF aggregates with
 * {@code list(d.values())}, i.e. file order).
 */
public record LegacySplitLog(LegacyTask task, List<LegacyItem> items) {

    public LegacySplitLog {
        items = List.copyOf(items);
    }

    public double[] column(ToDoubleFunction<LegacyItem> f) {
        return items.stream().mapToDouble(f).toArray();
    }

    public int size() {
        return items.size();
    }
}

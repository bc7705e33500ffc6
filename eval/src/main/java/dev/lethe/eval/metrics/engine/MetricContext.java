package dev.lethe.eval.metrics.engine;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Input of one evaluation: per-split per-sample data, the retain model's log (forget quality and
 * privleak reference) and metric parameters. Model-free by design: the evaluator fills it.
 *
 * @param splits     split name → data
 * @param retainLogs the retain model's {@code TOFU_EVAL.json}, or null (FQ becomes null, privleak
 *                   uses the default AUC 0.5, as in OU)
 * @param params     metric parameters
 */
public record MetricContext(Map<String, SplitData> splits, EvalLog retainLogs, MetricParams params) {

    public MetricContext {
        splits = Collections.unmodifiableMap(new LinkedHashMap<>(splits));
        params = params == null ? MetricParams.defaults() : params;
    }

    public static MetricContext of(EvalLog retainLogs, SplitData... splits) {
        Map<String, SplitData> m = new LinkedHashMap<>();
        for (SplitData s : splits) {
            if (m.put(s.name(), s) != null) {
                throw new IllegalArgumentException("split '" + s.name() + "' given twice");
            }
        }
        return new MetricContext(m, retainLogs, MetricParams.defaults());
    }

    public MetricContext withParams(MetricParams p) {
        return new MetricContext(splits, retainLogs, p);
    }

    public SplitData split(String name, String metric) {
        SplitData s = splits.get(name);
        if (s == null) {
            throw new IllegalStateException("metric '" + metric + "' needs split '" + name
                    + "' but the context only has " + splits.keySet());
        }
        return s;
    }

    public Optional<EvalLog> retain() {
        return Optional.ofNullable(retainLogs);
    }
}

package dev.lethe.eval.logs;

import dev.lethe.eval.metrics.engine.EvalLog;
import dev.lethe.eval.metrics.engine.Metric;
import dev.lethe.eval.metrics.engine.MetricContext;
import dev.lethe.eval.metrics.engine.MetricRegistry;
import dev.lethe.eval.metrics.engine.MetricResult;
import dev.lethe.eval.metrics.tofu.TofuMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recomputes the aggregates of an OU-layout {@code TOFU_EVAL.json} from its per-index values.
 *
 * <p>Derived metrics (truth ratios, normalised probabilities, model utility, forget quality,
 * privleak) are recomputed by the same metric classes the evaluator uses, from the stored
 * per-index results of their dependencies; base metrics are re-aggregated from their stored values.
 * Model utility and forget quality are added whenever their inputs are present.
 */
public final class EvalLogAggregate {

    private EvalLogAggregate() { }

    /** @return recomputed log; its aggregates are the recomputed numbers */
    public static EvalLog recompute(EvalLog stored, EvalLog retainOrNull) {
        MetricRegistry tofu = TofuMetrics.registry();
        MetricRegistry replay = new MetricRegistry();
        List<String> wanted = new ArrayList<>(stored.metrics().keySet());
        for (String name : tofu.names()) {
            Metric real = tofu.get(name);
            boolean derived = !real.dependencies().isEmpty();
            if (derived && derivable(tofu, name, stored)) {
                replay.register(real);
                if (!wanted.contains(name)) {
                    wanted.add(name);
                }
            } else if (stored.metrics().containsKey(name)) {
                replay.register(new ReplayedMetric(name, stored.metrics().get(name)));
            }
        }
        for (String name : stored.metrics().keySet()) {
            if (!replay.names().contains(name)) {
                replay.register(new ReplayedMetric(name, stored.metrics().get(name)));
            }
        }
        // forget_quality needs the retain log; without it OU writes null, so only add it when given.
        if (retainOrNull == null && !stored.metrics().containsKey(TofuMetrics.FORGET_QUALITY)) {
            wanted.remove(TofuMetrics.FORGET_QUALITY);
        }
        MetricContext ctx = new MetricContext(Map.of(), retainOrNull, null);
        EvalLog out = replay.evaluate(ctx, wanted);
        Map<String, MetricResult> ordered = new LinkedHashMap<>();
        wanted.forEach(n -> ordered.put(n, out.metrics().get(n)));
        return new EvalLog(stored.source(), ordered);
    }

    /** A derived metric can be recomputed when every leaf it depends on is stored. */
    private static boolean derivable(MetricRegistry tofu, String name, EvalLog stored) {
        Metric m = tofu.get(name);
        if (m.dependencies().isEmpty()) {
            return stored.metrics().containsKey(name);
        }
        for (String d : m.dependencies()) {
            if (!stored.metrics().containsKey(d) && !derivable(tofu, d, stored)) {
                return false;
            }
        }
        return true;
    }
}

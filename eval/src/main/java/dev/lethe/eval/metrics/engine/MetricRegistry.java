package dev.lethe.eval.metrics.engine;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Metrics by name, evaluated with their dependencies in order, each at most once (OU's cache).
 * Not thread-safe for registration; evaluation does not mutate the registry.
 */
public final class MetricRegistry {

    private final Map<String, Metric> metrics = new LinkedHashMap<>();

    public MetricRegistry register(Metric metric) {
        if (metrics.putIfAbsent(metric.name(), metric) != null) {
            throw new IllegalArgumentException("metric '" + metric.name() + "' is already registered");
        }
        return this;
    }

    public Metric get(String name) {
        Metric m = metrics.get(name);
        if (m == null) {
            throw new IllegalArgumentException("unknown metric '" + name + "'; known: " + new TreeSet<>(metrics.keySet()));
        }
        return m;
    }

    public Set<String> names() {
        return java.util.Collections.unmodifiableSet(metrics.keySet());
    }

    /** Evaluates {@code requested} and everything they depend on; the log holds all of them. */
    public EvalLog evaluate(MetricContext ctx, Collection<String> requested) {
        return evaluate(ctx, requested, null);
    }

    /**
     * As {@link #evaluate(MetricContext, Collection)}, reusing results already in {@code existing}
     * (resume: OU skips metrics present in the log unless told to overwrite).
     */
    public EvalLog evaluate(MetricContext ctx, Collection<String> requested, EvalLog existing) {
        Map<String, MetricResult> done = new LinkedHashMap<>();
        if (existing != null) {
            done.putAll(existing.metrics());
        }
        for (String name : requested) {
            compute(name, ctx, done, new ArrayDeque<>());
        }
        return new EvalLog(null, done);
    }

    private MetricResult compute(String name, MetricContext ctx, Map<String, MetricResult> done, Deque<String> stack) {
        MetricResult cached = done.get(name);
        if (cached != null) {
            return cached;
        }
        if (stack.contains(name)) {
            List<String> cycle = new java.util.ArrayList<>(stack);
            java.util.Collections.reverse(cycle);
            cycle.add(name);
            throw new IllegalStateException("metric dependency cycle: " + String.join(" -> ", cycle));
        }
        Metric metric = get(name);
        stack.push(name);
        Map<String, MetricResult> deps = new LinkedHashMap<>();
        for (String dep : metric.dependencies()) {
            deps.put(dep, compute(dep, ctx, done, stack));
        }
        stack.pop();
        MetricResult result = metric.compute(ctx, deps);
        done.put(name, result);
        return result;
    }
}

package dev.lethe.eval;

import dev.lethe.eval.metrics.engine.Metric;
import dev.lethe.eval.metrics.engine.MetricRegistry;
import dev.lethe.eval.metrics.tofu.TofuMetrics;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which splits and which per-item parts a set of TOFU metrics needs, so the evaluator scores and
 * generates only that (a forget-only request skips retain/real-authors/world-facts generations, and the
 * costly vocabulary moments are computed only when Min-K%++ is asked for).
 *
 * <p>Leaf metrics are recognised by open-unlearning's naming ({@code <split>_Q_A_Prob}, …, {@code mia_*});
 * a metric with dependencies and no entry of its own (truth ratio, forget quality, model utility,
 * privleak, normalised probability) needs exactly what its dependencies need. An unknown leaf metric is
 * an error rather than a silently empty split.
 */
final class MetricNeeds {

    private static final List<String> SPLITS = List.of(TofuMetrics.FORGET, TofuMetrics.RETAIN,
            TofuMetrics.REAL_AUTHORS, TofuMetrics.WORLD_FACTS);

    private final Map<String, EnumSet<ScorePart>> bySplit = new LinkedHashMap<>();
    private final Set<String> closure;

    private MetricNeeds(Set<String> closure) {
        this.closure = closure;
    }

    /** Needs of {@code requested} and everything they depend on in {@code registry}. */
    static MetricNeeds of(MetricRegistry registry, Collection<String> requested) {
        Set<String> closure = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(requested);
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (closure.add(name)) {
                todo.addAll(registry.get(name).dependencies());
            }
        }
        MetricNeeds needs = new MetricNeeds(closure);
        for (String name : closure) {
            needs.addLeaf(name, registry.get(name));
        }
        return needs;
    }

    private void addLeaf(String name, Metric metric) {
        if (name.startsWith("mia_")) {
            ScorePart extra = switch (name) {
                case "mia_loss" -> ScorePart.ANSWER;
                case "mia_zlib" -> ScorePart.DECODED_TARGET;
                case "mia_min_k" -> ScorePart.TRACE;
                case "mia_min_k_plus_plus" -> ScorePart.MOMENTS;
                case "mia_gradnorm" -> ScorePart.GRAD_NORM;
                case "mia_reference" -> ScorePart.REFERENCE_LOSS;
                default -> throw unknown(name);
            };
            for (String s : List.of(TofuMetrics.FORGET, TofuMetrics.HOLDOUT)) {
                add(s, ScorePart.ANSWER);
                add(s, extra);
                if (extra == ScorePart.MOMENTS) {
                    add(s, ScorePart.TRACE);
                }
            }
            return;
        }
        if (name.equals("exact_memorization") || name.equals("extraction_strength")) {
            add(TofuMetrics.FORGET, ScorePart.ANSWER);
            add(TofuMetrics.FORGET, ScorePart.TRACE);
            return;
        }
        for (String s : SPLITS) {
            if (name.startsWith(s + "_")) {
                String rest = name.substring(s.length() + 1);
                ScorePart p = switch (rest) {
                    case "Q_A_Prob" -> ScorePart.ANSWER;
                    case "Q_A_PARA_Prob" -> ScorePart.PARAPHRASED;
                    case "Q_A_PERT_Prob" -> ScorePart.PERTURBED;
                    case "Q_A_ROUGE" -> ScorePart.GENERATION;
                    default -> null;
                };
                if (p != null) {
                    add(s, ScorePart.ANSWER); // every ItemScores carries its answer score
                    add(s, p);
                    return;
                }
            }
        }
        if (metric.dependencies().isEmpty()) {
            throw unknown(name);
        }
    }

    private static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("TofuEvaluator does not know which scores metric '" + name
                + "' needs; register it in MetricNeeds");
    }

    private void add(String split, ScorePart part) {
        bySplit.computeIfAbsent(split, k -> EnumSet.noneOf(ScorePart.class)).add(part);
    }

    /** Splits with any need, in a fixed order. */
    Set<String> splits() {
        return bySplit.keySet();
    }

    boolean has(String split, ScorePart part) {
        EnumSet<ScorePart> s = bySplit.get(split);
        return s != null && s.contains(part);
    }

    /** Requested metrics plus all their dependencies. */
    Set<String> closure() {
        return closure;
    }

    @Override
    public String toString() {
        return bySplit.toString();
    }
}

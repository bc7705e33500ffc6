package dev.lethe.eval.attacks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The attack's outcome for one unlearned model M̂, with the original model M (for ρ) and the oracle /
 * retain-only model (for E) when given: as JSON (per condition A with its interval for each model, Δ, ρ
 * with its denominator, E, covered and too-long item counts; the H5 curve ρ(k), k₅₀ and its area; every
 * per-item score) and as a plain-text table. Not computed is {@code null} in JSON and "–" in the table.
 */
public final class RelearningReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RelearningSetup setup;
    private final ConditionScores unlearned;
    private final ConditionScores original;
    private final ConditionScores oracle;
    private final InContextRelearningAttack.Report report;
    private final RelearningMetrics metrics;

    /**
     * @param original M's scores (needs H0), or null
     * @param oracle the retain-only model's scores under the same conditions, or null
     */
    public RelearningReport(RelearningSetup setup, ConditionScores unlearned, ConditionScores original,
                            ConditionScores oracle) {
        this.setup = setup;
        this.unlearned = unlearned;
        this.original = original;
        this.oracle = oracle;
        this.report = setup.attack().report(unlearned, original, oracle);
        this.metrics = new RelearningMetrics(setup.seed());
    }

    public InContextRelearningAttack.Report report() {
        return report;
    }

    /** The row of {@code hint}, or null when it was not run. */
    public InContextRelearningAttack.Row row(Hint hint) {
        return report.rows().stream().filter(r -> r.hint().equals(hint)).findFirst().orElse(null);
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("attack", "in-context relearning (UnUnlearning, arXiv 2407.00106)");
        root.put("items", setup.items().size());
        root.put("correctness", setup.correctness());
        root.put("template", setup.template().name());
        root.put("max_new_tokens", setup.maxNewTokens());
        root.put("decoding", "greedy");
        root.put("bootstrap", RelearningMetrics.BOOTSTRAP);
        root.put("seed", setup.seed());
        ArrayNode rows = root.putArray("conditions");
        for (InContextRelearningAttack.Row r : report.rows()) {
            Hint h = r.hint();
            ObjectNode o = rows.addObject();
            o.put("hint", h.label());
            o.put("kind", h.kind().name());
            o.put("shots", h.shots());
            o.put("items", unlearned.covered(h));
            o.put("too_long", unlearned.tooLong().getOrDefault(h, 0));
            ObjectNode acc = o.putObject("accuracy");
            for (Map.Entry<String, ConditionScores> m : models().entrySet()) {
                boolean has = m.getValue() != null && m.getValue().byHint().containsKey(h);
                interval(acc, m.getKey(), has ? metrics.accuracy(m.getValue().get(h)) : null);
            }
            interval(o, "lift", r.lift());
            if (r.recovery() == null) {
                o.putNull("recovery");
            } else {
                ObjectNode rec = o.putObject("recovery");
                interval(rec, "rho", r.recovery().rho());
                number(rec, "denominator", r.recovery().denominator());
                rec.put("items", r.recovery().items());
            }
            interval(o, "excess", r.excess());
        }
        ObjectNode many = root.putObject("many_shot");
        ObjectNode curve = many.putObject("rho_by_shots");
        report.forgetShotRecovery().forEach((k, v) -> number(curve, Integer.toString(k), v));
        if (report.k50().isPresent()) {
            many.put("k50", report.k50().getAsInt());
        } else {
            many.putNull("k50");
        }
        number(many, "area_over_log2_shots", report.recoveryArea());
        ObjectNode scores = root.putObject("scores");
        ArrayNode ids = scores.putArray("item_ids");
        setup.items().forEach(i -> ids.add(i.id()));
        for (Map.Entry<String, ConditionScores> m : models().entrySet()) {
            if (m.getValue() == null) {
                continue;
            }
            m.getValue().writeScores(scores.putObject(m.getKey()));
        }
        return root;
    }

    /** One line per condition: covered items, A of each model, Δ, ρ (denominator), E, each with its interval. */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-7s %4s %7s %7s %7s  %-24s %-32s %-24s%n", "hint", "n", "A(M^)",
                "A(M)", "A(orc)", "lift Δ [95% CI]", "recovery ρ [95% CI] (den)", "excess E [95% CI]"));
        for (InContextRelearningAttack.Row r : report.rows()) {
            Hint h = r.hint();
            String rho = r.recovery() == null ? "–" : ci(r.recovery().rho())
                    + String.format(Locale.ROOT, " (%s)", fmt(r.recovery().denominator()));
            sb.append(String.format(Locale.ROOT, "%-7s %4d %7s %7s %7s  %-24s %-32s %-24s%n", h.label(),
                    unlearned.covered(h), fmt(r.accuracy()), acc(original, h), acc(oracle, h), ci(r.lift()), rho,
                    r.excess() == null ? "–" : ci(r.excess())));
        }
        if (!report.forgetShotRecovery().isEmpty()) {
            StringBuilder curve = new StringBuilder();
            report.forgetShotRecovery().forEach((k, v) -> curve.append(curve.length() > 0 ? ", " : "")
                    .append(k).append(": ").append(fmt(v)));
            sb.append("ρ(k) for H5: {").append(curve).append("}, k50 = ")
                    .append(report.k50().isPresent() ? Integer.toString(report.k50().getAsInt()) : "none")
                    .append(", area over log2 k = ").append(fmt(report.recoveryArea())).append('\n');
        }
        unlearned.tooLong().forEach((h, n) -> {
            if (n > 0) {
                sb.append(h.label()).append(": ").append(n)
                        .append(" prompt(s) longer than the model's context with the answer budget, skipped\n");
            }
        });
        return sb.toString();
    }

    private Map<String, ConditionScores> models() {
        Map<String, ConditionScores> m = new LinkedHashMap<>();
        m.put("unlearned", unlearned);
        m.put("original", original);
        m.put("oracle", oracle);
        return m;
    }

    private static String acc(ConditionScores s, Hint h) {
        return s == null || !s.byHint().containsKey(h) ? "–" : fmt(s.accuracy(h));
    }

    private static String ci(Interval i) {
        return fmt(i.value()) + " [" + fmt(i.low()) + ", " + fmt(i.high()) + "]";
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "NaN" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static void interval(ObjectNode o, String name, Interval i) {
        if (i == null) {
            o.putNull(name);
            return;
        }
        ObjectNode n = o.putObject(name);
        number(n, "value", i.value());
        number(n, "low", i.low());
        number(n, "high", i.high());
    }

    /** JSON has no NaN: a statistic with no items behind it is null. */
    private static void number(ObjectNode o, String name, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            o.putNull(name);
        } else {
            o.put(name, v);
        }
    }
}

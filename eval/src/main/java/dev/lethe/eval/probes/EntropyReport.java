package dev.lethe.eval.probes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.eval.probes.MatrixEntropyProbe.Profile;
import dev.lethe.eval.probes.MatrixEntropyProbe.Stream;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * The {@link MatrixEntropyProbe} report (spec long-context §2.8, use 2): the target M and unlearned models
 * M̂ on the same forget and retain prompts. Per stream (residual stream, query heads, key heads), layer and
 * unit it gives each model's mean entropy and, for each unlearned model, Δ = H(M̂) − H(M) on forget and on
 * retain prompts, each with its standard error over prompts. Δ is taken per prompt before averaging: both
 * models read the same prompts, so the pairing removes the prompt-to-prompt spread from the error.
 *
 * <p>The <b>fingerprint</b> of M̂ on a stream is the mean over layers (and units) of Δ_forget − Δ_retain.
 * Forget and retain prompts are independent samples, so its error is √(SE_f² + SE_r²) of the per-prompt
 * layer-mean Δ on each set; the interval is the normal ± 1.96·SE. A method that collapses representations
 * only on forget inputs shows a negative value; a uniform change on all inputs cancels. The hidden stream's
 * embedding row is reported but left out of its fingerprint ({@link Stream#firstLayer}).
 */
public final class EntropyReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double Z95 = 1.959963984540054;

    /** The two prompt sets. */
    public enum PromptSet {
        FORGET("forget"), RETAIN("retain");

        private final String id;

        PromptSet(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /** One model's per-prompt profiles on the forget and retain prompts (the same prompts for every model). */
    public record Probed(String name, List<Profile> forget, List<Profile> retain) {
        public List<Profile> on(PromptSet s) {
            return s == PromptSet.FORGET ? forget : retain;
        }
    }

    /** A mean over prompts and its standard error (NaN with fewer than two prompts). */
    public record Estimate(double value, double se) {
        public double low() {
            return value - Z95 * se;
        }

        public double high() {
            return value + Z95 * se;
        }
    }

    private final List<Probed> models;

    /** @param models the target first, then the unlearned models; names must be distinct */
    public EntropyReport(List<Probed> models) {
        if (models.isEmpty()) {
            throw new IllegalArgumentException("the report needs at least the target model");
        }
        Set<String> names = new HashSet<>();
        Probed target = models.get(0);
        for (Probed m : models) {
            if (!names.add(m.name())) {
                throw new IllegalArgumentException("two models are named '" + m.name() + "'");
            }
            for (PromptSet s : PromptSet.values()) {
                if (m.on(s).isEmpty() || m.on(s).size() != target.on(s).size()) {
                    throw new IllegalArgumentException(m.name() + ": expected " + target.on(s).size() + " " + s.id()
                            + " profiles (as the target, at least one), got " + m.on(s).size());
                }
                for (Profile p : m.on(s)) {
                    for (Stream st : Stream.values()) {
                        if (!sameShape(p.of(st), target.on(s).get(0).of(st))) {
                            throw new IllegalArgumentException(m.name() + ": its " + st.id()
                                    + " profile differs in shape from the target's (another architecture?)");
                        }
                    }
                }
            }
        }
        this.models = List.copyOf(models);
    }

    /** Number of prompts in {@code s}. */
    public int prompts(PromptSet s) {
        return models.get(0).on(s).size();
    }

    /** Model {@code model}'s mean entropy on {@code set}, per {@code [layer][unit]}. */
    public Estimate[][] entropy(int model, PromptSet set, Stream stream) {
        // The per-prompt matrices once: Profile.of builds the hidden stream's matrix on every call.
        return cellEstimates(models.get(model).on(set).stream().map(p -> p.of(stream)).toList());
    }

    /** Δ = H(M̂) − H(M) of model {@code model} (≥ 1) on {@code set}, per {@code [layer][unit]}, paired per prompt. */
    public Estimate[][] delta(int model, PromptSet set, Stream stream) {
        return cellEstimates(deltas(model, set, stream));
    }

    /** Per {@code [layer][unit]}, the mean over prompts of the per-prompt matrices {@code perPrompt} and its error. */
    private static Estimate[][] cellEstimates(List<double[][]> perPrompt) {
        return perCell(perPrompt.get(0), (l, u) -> estimate(perPrompt, x -> x[l][u]));
    }

    /** Mean over layers ≥ {@link Stream#firstLayer} and units of Δ_forget − Δ_retain for model {@code model} (≥ 1). */
    public Estimate fingerprint(int model, Stream stream) {
        Estimate f = layerMeanDelta(model, PromptSet.FORGET, stream);
        Estimate r = layerMeanDelta(model, PromptSet.RETAIN, stream);
        return new Estimate(f.value() - r.value(), Math.hypot(f.se(), r.se()));
    }

    /** Per prompt, the mean of Δ over the fingerprint's layers and units; their mean and error. */
    private Estimate layerMeanDelta(int model, PromptSet set, Stream stream) {
        return estimate(deltas(model, set, stream), d -> {
            double sum = 0;
            int n = 0;
            for (int l = stream.firstLayer(); l < d.length; l++) {
                for (double x : d[l]) {
                    sum += x;
                    n++;
                }
            }
            return sum / n;
        });
    }

    private List<double[][]> deltas(int model, PromptSet set, Stream stream) {
        if (model < 1) {
            throw new IllegalArgumentException("Δ is defined for the unlearned models (index ≥ 1); 0 is the target");
        }
        List<Profile> m = models.get(model).on(set);
        List<Profile> t = models.get(0).on(set);
        return IntStream.range(0, m.size()).mapToObj(p -> {
            double[][] a = m.get(p).of(stream);
            double[][] b = t.get(p).of(stream);
            double[][] d = new double[a.length][];
            for (int l = 0; l < a.length; l++) {
                d[l] = new double[a[l].length];
                for (int u = 0; u < a[l].length; u++) {
                    d[l][u] = a[l][u] - b[l][u];
                }
            }
            return d;
        }).toList();
    }

    static <T> Estimate estimate(List<T> xs, ToDoubleFunction<T> f) {
        int n = xs.size();
        double mean = 0;
        for (T x : xs) {
            mean += f.applyAsDouble(x);
        }
        mean /= n;
        if (n < 2) {
            return new Estimate(mean, Double.NaN);
        }
        double ss = 0;
        for (T x : xs) {
            double e = f.applyAsDouble(x) - mean;
            ss += e * e;
        }
        return new Estimate(mean, Math.sqrt(ss / (n - 1) / n));
    }

    private interface Cell {
        Estimate at(int layer, int unit);
    }

    private static Estimate[][] perCell(double[][] shape, Cell c) {
        Estimate[][] out = new Estimate[shape.length][];
        for (int l = 0; l < shape.length; l++) {
            out[l] = new Estimate[shape[l].length];
            for (int u = 0; u < shape[l].length; u++) {
                out[l][u] = c.at(l, u);
            }
        }
        return out;
    }

    private static boolean sameShape(double[][] a, double[][] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int l = 0; l < a.length; l++) {
            if (a[l].length != b[l].length) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- JSON

    /**
     * Everything, per model and stream: mean entropy and (unlearned models) Δ with errors on each prompt
     * set, every per-prompt entropy, and the fingerprints. A stream with one unit (hidden) is written as
     * plain per-layer arrays; not computed (the target's Δ, an error over one prompt) is {@code null}.
     */
    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("probe", "UNComp truncated matrix entropy (arXiv 2410.03090)");
        root.put("delta", "H(unlearned) - H(target), paired per prompt; standard errors over prompts");
        root.put("fingerprint", "mean over layers (and heads) of delta_forget - delta_retain; se = sqrt(se_f^2 + se_r^2), "
                + "interval = value +- 1.96 se; the hidden stream's embedding row is left out");
        ObjectNode prompts = root.putObject("prompts");
        for (PromptSet s : PromptSet.values()) {
            prompts.put(s.id(), prompts(s));
        }
        ObjectNode streams = root.putObject("streams");
        for (Stream st : Stream.values()) {
            double[][] shape = models.get(0).forget().get(0).of(st);
            ObjectNode o = streams.putObject(st.id());
            ArrayNode rows = o.putArray("rows");
            for (int l = 0; l < shape.length; l++) {
                rows.add(st.rowLabel(l));
            }
            o.put("units", shape[0].length);
            o.put("fingerprint_from_row", st.firstLayer());
        }
        ArrayNode order = root.putArray("models");
        ObjectNode results = root.putObject("results");
        for (int i = 0; i < models.size(); i++) {
            Probed m = models.get(i);
            order.add(m.name());
            ObjectNode mo = results.putObject(m.name());
            mo.put("role", i == 0 ? "target" : "unlearned");
            ObjectNode fp = mo.putObject("fingerprint");
            for (Stream st : Stream.values()) {
                if (i == 0) {
                    fp.putNull(st.id());
                } else {
                    estimate(fp.putObject(st.id()), fingerprint(i, st), true);
                }
            }
            for (Stream st : Stream.values()) {
                ObjectNode so = mo.putObject(st.id());
                for (PromptSet s : PromptSet.values()) {
                    ObjectNode o = so.putObject(s.id());
                    estimates(o.putObject("entropy"), entropy(i, s, st));
                    if (i == 0) {
                        o.putNull("delta");
                    } else {
                        estimates(o.putObject("delta"), delta(i, s, st));
                    }
                    ArrayNode pp = o.putArray("per_prompt");
                    for (Profile p : m.on(s)) {
                        matrix(pp.addArray(), p.of(st));
                    }
                }
            }
        }
        return root;
    }

    private static void estimate(ObjectNode o, Estimate e, boolean interval) {
        num(o, "value", e.value());
        num(o, "se", e.se());
        if (interval) {
            num(o, "low", e.low());
            num(o, "high", e.high());
        }
    }

    private static void estimates(ObjectNode o, Estimate[][] e) {
        double[][] mean = new double[e.length][];
        double[][] se = new double[e.length][];
        for (int l = 0; l < e.length; l++) {
            mean[l] = new double[e[l].length];
            se[l] = new double[e[l].length];
            for (int u = 0; u < e[l].length; u++) {
                mean[l][u] = e[l][u].value();
                se[l][u] = e[l][u].se();
            }
        }
        matrix(o.putArray("mean"), mean);
        matrix(o.putArray("se"), se);
    }

    private static void matrix(ArrayNode a, double[][] m) {
        for (double[] row : m) {
            if (row.length == 1) {
                add(a, row[0]);
            } else {
                ArrayNode r = a.addArray();
                for (double x : row) {
                    add(r, x);
                }
            }
        }
    }

    private static void add(ArrayNode a, double x) {
        if (Double.isFinite(x)) {
            a.add(x);
        } else {
            a.addNull();
        }
    }

    private static void num(ObjectNode o, String k, double x) {
        if (Double.isFinite(x)) {
            o.put(k, x);
        } else {
            o.putNull(k);
        }
    }

    // ---------------------------------------------------------------- table

    /**
     * Markdown: the fingerprints (± SE), then per stream and layer each model's mean entropy on forget (F)
     * and retain (R) prompts and each unlearned model's ΔF and ΔR. Head streams show the mean over heads;
     * the JSON has every head.
     */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "fingerprint = mean over layers of ΔF − ΔR, Δ = H(model) − H(%s), "
                + "± SE over %d forget + %d retain prompts%n%n", models.get(0).name(), prompts(PromptSet.FORGET),
                prompts(PromptSet.RETAIN)));
        sb.append("| model |");
        for (Stream st : Stream.values()) {
            sb.append(' ').append(st.id()).append(" |");
        }
        sb.append('\n').append("|---|");
        sb.append("---|".repeat(Stream.values().length)).append('\n');
        for (int i = 0; i < models.size(); i++) {
            String name = models.get(i).name();
            sb.append("| ").append(name).append(i == 0 && !name.equals("target") ? " (target)" : "").append(" |");
            for (Stream st : Stream.values()) {
                if (i == 0) {
                    sb.append(" – |");
                } else {
                    Estimate f = fingerprint(i, st);
                    sb.append(' ').append(signed(f.value()));
                    if (Double.isFinite(f.se())) {
                        sb.append(" ± ").append(fmt(f.se()));
                    }
                    sb.append(" |");
                }
            }
            sb.append('\n');
        }
        for (Stream st : Stream.values()) {
            sb.append('\n').append(st.id()).append(st == Stream.HIDDEN ? "" : " (mean over heads)")
                    .append(": mean entropy on forget (F) / retain (R) prompts, Δ vs the target\n\n");
            sb.append("| layer |");
            StringBuilder rule = new StringBuilder("|---|");
            List<String[]> columns = new ArrayList<>(); // per column, one formatted cell per layer
            for (int i = 0; i < models.size(); i++) {
                String n = models.get(i).name();
                for (PromptSet s : PromptSet.values()) {
                    sb.append(' ').append(n).append(' ').append(s == PromptSet.FORGET ? "F" : "R").append(" |");
                    columns.add(cells(entropy(i, s, st), false));
                }
                for (PromptSet s : i == 0 ? new PromptSet[0] : PromptSet.values()) {
                    sb.append(' ').append(n).append(s == PromptSet.FORGET ? " ΔF" : " ΔR").append(" |");
                    columns.add(cells(delta(i, s, st), true));
                }
            }
            rule.append("---|".repeat(columns.size()));
            sb.append('\n').append(rule).append('\n');
            for (int l = 0; l < columns.get(0).length; l++) {
                sb.append("| ").append(st.rowLabel(l)).append(" |");
                for (String[] c : columns) {
                    sb.append(' ').append(c[l]).append(" |");
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** Per layer, the mean over units, formatted. */
    private static String[] cells(Estimate[][] e, boolean signed) {
        String[] out = new String[e.length];
        for (int l = 0; l < e.length; l++) {
            double m = unitMean(e[l]);
            out[l] = signed ? signed(m) : fmt(m);
        }
        return out;
    }

    private static double unitMean(Estimate[] row) {
        double s = 0;
        for (Estimate e : row) {
            s += e.value();
        }
        return s / row.length;
    }

    private static String fmt(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%.4f", x) : "–";
    }

    private static String signed(double x) {
        return Double.isFinite(x) ? String.format(Locale.ROOT, "%+.4f", x) : "–";
    }
}

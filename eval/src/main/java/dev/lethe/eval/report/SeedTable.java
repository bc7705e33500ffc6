package dev.lethe.eval.report;

import dev.lethe.core.util.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The table of one experiment run under several seeds: per method (in first-seen order) and per metric, the
 * mean ± 95 % t-interval over the seeds ({@link MeanCi}). Written as {@code table.md} (people) and
 * {@code table.csv} (tools: one mean and one half-width column per metric). Wall-clock time is left out
 * on purpose: it measures the machine, not the method.
 */
public final class SeedTable {

    /** A metric column: name, value of a row, and the number format of the Markdown cell. */
    public record Metric(String name, Function<ResultRow, Double> value, String pattern) {}

    /** The fixed metrics of {@link ResultsTable} (wall_s aside); extra columns follow, see {@link #metrics()}. */
    public static final List<Metric> METRICS = List.of(
            new Metric("forget_quality", ResultRow::forgetQuality, "%.2e"),
            new Metric("model_utility", ResultRow::modelUtility, "%.3f"),
            new Metric("forget_prob", ResultRow::forgetProb, "%.3f"),
            new Metric("forget_rouge", ResultRow::forgetRouge, "%.3f"),
            new Metric("forget_truth_ratio", ResultRow::forgetTruthRatio, "%.3f"),
            new Metric("retain_prob", ResultRow::retainProb, "%.3f"),
            new Metric("retain_rouge", ResultRow::retainRouge, "%.3f"),
            new Metric("privleak", ResultRow::privleak, "%.2f"),
            new Metric("extraction_strength", ResultRow::extractionStrength, "%.3f"));

    private final Map<String, List<ResultRow>> byMethod = new LinkedHashMap<>();
    private final List<Long> seeds = new ArrayList<>();

    /** Adds the rows of one seed's run. */
    public SeedTable addSeed(long seed, List<ResultRow> rows) {
        seeds.add(seed);
        for (ResultRow r : rows) {
            byMethod.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r);
        }
        return this;
    }

    public List<Long> seeds() {
        return List.copyOf(seeds);
    }

    /** {@link #METRICS}, then every extra column of the rows (e.g. the ICL columns) in name order. */
    public List<Metric> metrics() {
        List<Metric> out = new ArrayList<>(METRICS);
        for (String e : ResultRow.extraKeys(byMethod.values().stream().flatMap(List::stream))) {
            out.add(new Metric(e, r -> r.extra().get(e), "%.3f"));
        }
        return out;
    }

    /** method → metric → mean ± CI, in row and {@link #metrics()} order. */
    public Map<String, Map<String, MeanCi>> summary() {
        return summary(metrics());
    }

    private Map<String, Map<String, MeanCi>> summary(List<Metric> metrics) {
        Map<String, Map<String, MeanCi>> out = new LinkedHashMap<>();
        byMethod.forEach((method, rows) -> {
            Map<String, MeanCi> m = new LinkedHashMap<>();
            for (Metric metric : metrics) {
                m.put(metric.name(), MeanCi.of(rows.stream().map(metric.value()).toList()));
            }
            out.put(method, m);
        });
        return out;
    }

    public String toMarkdown() {
        List<Metric> metrics = metrics();
        StringBuilder sb = new StringBuilder("| method | seeds |");
        metrics.forEach(m -> sb.append(' ').append(m.name()).append(" |"));
        sb.append("\n|---|---:|");
        metrics.forEach(m -> sb.append("---:|"));
        sb.append('\n');
        summary(metrics).forEach((method, cells) -> {
            sb.append("| ").append(method.replace("|", "\\|")).append(" | ").append(byMethod.get(method).size())
                    .append(" |");
            for (Metric m : metrics) {
                sb.append(' ').append(cells.get(m.name()).format(m.pattern())).append(" |");
            }
            sb.append('\n');
        });
        return sb.toString();
    }

    public String toCsv() {
        List<Metric> metrics = metrics();
        StringBuilder sb = new StringBuilder("method,seeds");
        metrics.forEach(m -> sb.append(',').append(m.name()).append(',').append(m.name()).append("_ci95"));
        sb.append('\n');
        summary(metrics).forEach((method, cells) -> {
            sb.append(method.contains(",") ? '"' + method.replace("\"", "\"\"") + '"' : method)
                    .append(',').append(byMethod.get(method).size());
            for (Metric m : metrics) {
                MeanCi c = cells.get(m.name());
                sb.append(',').append(c.n() == 0 ? "" : String.format(java.util.Locale.ROOT, "%.6e", c.mean()))
                        .append(',').append(Double.isNaN(c.halfWidth()) ? ""
                                : String.format(java.util.Locale.ROOT, "%.6e", c.halfWidth()));
            }
            sb.append('\n');
        });
        return sb.toString();
    }

    /** Writes {@code table.md} and {@code table.csv} into {@code dir}. */
    public void write(Path dir) throws IOException {
        AtomicFiles.writeString(dir.resolve(ResultsTable.MARKDOWN_FILE), toMarkdown());
        AtomicFiles.writeString(dir.resolve(ResultsTable.CSV_FILE), toCsv());
    }
}

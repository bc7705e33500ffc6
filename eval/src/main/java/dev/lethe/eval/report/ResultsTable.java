package dev.lethe.eval.report;

import dev.lethe.core.util.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The results table of an experiment, written as {@code table.md} (for people: 3 decimals, forget quality
 * in scientific notation because it spans hundreds of orders of magnitude, "–" for not computed) and
 * {@code table.csv} (for tools: more digits, empty cells for not computed). Rows keep insertion order.
 */
public final class ResultsTable {

    public static final String MARKDOWN_FILE = "table.md";
    public static final String CSV_FILE = "table.csv";

    /** One column: header, value, and whether it is a number column. */
    private record Column(String header, Function<ResultRow, Object> value, Format format) {}

    private enum Format { TEXT, INTEGER, SCIENTIFIC, FIXED3, FIXED2, FIXED1 }

    private static final List<Column> FIXED = List.of(
            new Column("method", ResultRow::method, Format.TEXT),
            new Column("split", ResultRow::split, Format.TEXT),
            new Column("seed", ResultRow::seed, Format.INTEGER),
            new Column("forget_quality", ResultRow::forgetQuality, Format.SCIENTIFIC),
            new Column("model_utility", ResultRow::modelUtility, Format.FIXED3),
            new Column("forget_prob", ResultRow::forgetProb, Format.FIXED3),
            new Column("forget_rouge", ResultRow::forgetRouge, Format.FIXED3),
            new Column("forget_truth_ratio", ResultRow::forgetTruthRatio, Format.FIXED3),
            new Column("retain_prob", ResultRow::retainProb, Format.FIXED3),
            new Column("retain_rouge", ResultRow::retainRouge, Format.FIXED3),
            new Column("privleak", ResultRow::privleak, Format.FIXED2),
            new Column("extraction_strength", ResultRow::extractionStrength, Format.FIXED3),
            new Column("wall_s", ResultRow::wallSeconds, Format.FIXED1));

    private final List<ResultRow> rows = new ArrayList<>();

    public ResultsTable add(ResultRow row) {
        rows.add(row);
        return this;
    }

    public ResultsTable addAll(List<ResultRow> more) {
        rows.addAll(more);
        return this;
    }

    public List<ResultRow> rows() {
        return Collections.unmodifiableList(rows);
    }

    private List<Column> columns() {
        List<Column> cols = new ArrayList<>(FIXED);
        for (String e : ResultRow.extraKeys(rows.stream())) {
            cols.add(new Column(e, r -> r.extra().get(e), Format.FIXED3));
        }
        return cols;
    }

    /** GitHub-flavoured Markdown: text columns left-aligned, numbers right-aligned. */
    public String toMarkdown() {
        List<Column> cols = columns();
        StringBuilder sb = new StringBuilder();
        sb.append('|');
        cols.forEach(c -> sb.append(' ').append(c.header()).append(" |"));
        sb.append("\n|");
        cols.forEach(c -> sb.append(c.format() == Format.TEXT ? "---|" : "---:|"));
        sb.append('\n');
        for (ResultRow r : rows) {
            sb.append('|');
            for (Column c : cols) {
                sb.append(' ').append(markdownCell(c, r)).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** RFC-4180 CSV with a header line. */
    public String toCsv() {
        List<Column> cols = columns();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cols.size(); i++) {
            sb.append(i > 0 ? "," : "").append(csvQuote(cols.get(i).header()));
        }
        sb.append('\n');
        for (ResultRow r : rows) {
            for (int i = 0; i < cols.size(); i++) {
                sb.append(i > 0 ? "," : "").append(csvCell(cols.get(i), r));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Writes {@code table.md} and {@code table.csv} into {@code dir}, each atomically. */
    public void write(Path dir) {
        try {
            AtomicFiles.writeString(dir.resolve(MARKDOWN_FILE), toMarkdown());
            AtomicFiles.writeString(dir.resolve(CSV_FILE), toCsv());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results table to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static String markdownCell(Column c, ResultRow r) {
        Object v = c.value().apply(r);
        if (v == null) {
            return "–";
        }
        return switch (c.format()) {
            case TEXT -> v.toString().replace("|", "\\|");
            case INTEGER -> v.toString();
            case SCIENTIFIC -> number(v, "%.2e");
            case FIXED3 -> number(v, "%.3f");
            case FIXED2 -> number(v, "%.2f");
            case FIXED1 -> number(v, "%.1f");
        };
    }

    private static String csvCell(Column c, ResultRow r) {
        Object v = c.value().apply(r);
        if (v == null) {
            return "";
        }
        return switch (c.format()) {
            case TEXT -> csvQuote(v.toString());
            case INTEGER -> v.toString();
            case SCIENTIFIC -> number(v, "%.6e");
            case FIXED1, FIXED2 -> number(v, "%.3f");
            case FIXED3 -> number(v, "%.6f");
        };
    }

    private static String number(Object v, String pattern) {
        double d = ((Number) v).doubleValue();
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Inf" : "-Inf";
        }
        return String.format(Locale.ROOT, pattern, d);
    }

    private static String csvQuote(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}

package dev.lethe.eval.report;

import dev.lethe.core.util.AtomicFiles;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * TOFU's trade-off plot, {@code fq_vs_mu.png}: forget quality on a log x-axis (it spans hundreds of
 * orders of magnitude, and the 0.05 "indistinguishable from retain" line matters) against model utility
 * on y, one labelled point per result row, one colour per method.
 *
 * <p>Rows without forget quality (no retain log) or model utility cannot be placed and are skipped with a
 * warning. A forget quality of exactly 0 (KS p-value underflow) is drawn at the axis floor and labelled
 * "≤". A vertical line marks p = 0.05. Rendering is headless.
 */
public final class FqVsMuPlot {

    public static final String FILE = "fq_vs_mu.png";

    private static final Logger LOG = Logger.getLogger(FqVsMuPlot.class.getName());

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private final String title;
    private final int width;
    private final int height;

    public FqVsMuPlot(String title) {
        this(title, 900, 600);
    }

    public FqVsMuPlot(String title, int width, int height) {
        this.title = title;
        this.width = width;
        this.height = height;
    }

    /** Writes the plot as {@code dir/fq_vs_mu.png}; returns the file. */
    public Path write(Path dir, List<ResultRow> rows) {
        Path file = dir.resolve(FILE);
        byte[] png;
        try {
            png = BitmapEncoder.getBitmapBytes(chart(rows), BitmapEncoder.BitmapFormat.PNG);
            AtomicFiles.write(file, tmp -> Files.write(tmp, png));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
        return file;
    }

    /** The chart itself (for callers that want another format). */
    public XYChart chart(List<ResultRow> rows) {
        List<ResultRow> placed = new ArrayList<>();
        for (ResultRow r : rows) {
            if (r.forgetQuality() == null || r.modelUtility() == null
                    || r.forgetQuality().isNaN() || r.modelUtility().isNaN()) {
                LOG.warning("fq_vs_mu: skipping " + r.method() + " " + r.split() + " seed " + r.seed()
                        + " (forget quality or model utility not computed)");
            } else {
                placed.add(r);
            }
        }
        double minPositive = placed.stream().mapToDouble(ResultRow::forgetQuality).filter(v -> v > 0).min().orElse(1e-3);
        // x is log10(FQ) on a linear axis with "1e-k" tick labels: XChart's own log axis draws a grid line
        // per sub-decade tick, which turns a 200-decade range into noise.
        double floorExp = Math.min(Math.floor(Math.log10(minPositive)) - 1, -2);

        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle("forget quality (KS p-value, log scale)").yAxisTitle("model utility").build();
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setXAxisMin(floorExp);
        chart.getStyler().setXAxisMax(0.0);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setMarkerSize(10);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(java.awt.Color.WHITE);
        chart.setCustomXAxisTickLabelsFormatter(FqVsMuPlot::tickLabel);
        // OU's reading: p > 0.05 = not distinguishable from the retain model.
        chart.addAnnotation(new AnnotationLine(Math.log10(0.05), true, false));
        chart.addAnnotation(new AnnotationText("p = 0.05", Math.log10(0.05), 0.03, false));

        Map<String, List<ResultRow>> byMethod = new LinkedHashMap<>();
        placed.forEach(r -> byMethod.computeIfAbsent(r.method(), k -> new ArrayList<>()).add(r));
        for (Map.Entry<String, List<ResultRow>> e : byMethod.entrySet()) {
            List<ResultRow> rs = e.getValue();
            double[] x = new double[rs.size()];
            double[] y = new double[rs.size()];
            for (int i = 0; i < rs.size(); i++) {
                double fq = rs.get(i).forgetQuality();
                x[i] = fq > 0 ? Math.max(floorExp, Math.log10(fq)) : floorExp;
                y[i] = rs.get(i).modelUtility();
            }
            chart.addSeries(e.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
            for (int i = 0; i < rs.size(); i++) {
                ResultRow r = rs.get(i);
                String label = (r.forgetQuality() <= 0 ? "≤ " : "") + r.method()
                        + (rs.size() > 1 ? " (s" + r.seed() + ")" : "");
                // Label just above the point (offset in data units of the 0–1 utility axis).
                chart.addAnnotation(new AnnotationText(label, x[i], Math.min(0.98, y[i] + 0.035), false));
            }
        }
        if (placed.isEmpty()) {
            chart.addSeries("no rows with forget quality", new double[] {0.0}, new double[] {0.0})
                    .setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    /** Tick label of a log10 value: "1e-20" for whole decades, "1" for 0, else the mantissa form. */
    static String tickLabel(double log10) {
        long k = Math.round(log10);
        if (Math.abs(log10 - k) < 1e-9) {
            return k == 0 ? "1" : "1e" + k;
        }
        return String.format(java.util.Locale.ROOT, "%.1e", Math.pow(10, log10));
    }
}

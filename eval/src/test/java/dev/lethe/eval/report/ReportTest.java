package dev.lethe.eval.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.eval.metrics.engine.EvalLog;
import dev.lethe.eval.metrics.engine.MetricResult;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

    @TempDir
    Path tmp;

    static EvalLog log(double fq, double mu) {
        Map<String, MetricResult> m = new LinkedHashMap<>();
        m.put("forget_quality", MetricResult.aggregateOnly(fq));
        m.put("model_utility", MetricResult.aggregateOnly(mu));
        m.put("forget_Q_A_Prob", MetricResult.aggregateOnly(0.99123));
        m.put("forget_Q_A_ROUGE", MetricResult.aggregateOnly(0.985));
        m.put("forget_Truth_Ratio", MetricResult.aggregateOnly(0.516));
        m.put("privleak", MetricResult.aggregateOnly(-99.8123));
        return new EvalLog(null, m);
    }

    static List<ResultRow> rows() {
        return List.of(
                ResultRow.fromLog("target", "forget10", 0, log(1.83e-21, 0.6227), 12.34),
                ResultRow.fromLog("retain", "forget10", 0, log(1.0, 0.6137), 11.0),
                ResultRow.fromLog("npo, β=0.1", "forget10", 0, log(0.42, 0.54), 30.0).withExtra("kl", 0.25),
                ResultRow.fromLog("graddiff", "forget10", 0, log(0.0, 0.58), 29.0),
                ResultRow.fromLog("no-retain-log", "forget10", 1, new EvalLog(null, Map.of()), null));
    }

    @Test
    void tableFormatsNumbersAndMissingValues() throws Exception {
        ResultsTable t = new ResultsTable().addAll(rows());
        t.write(tmp);
        String md = Files.readString(tmp.resolve(ResultsTable.MARKDOWN_FILE));
        String csv = Files.readString(tmp.resolve(ResultsTable.CSV_FILE));
        String[] mdLines = md.split("\n");
        assertEquals(2 + 5, mdLines.length);
        assertTrue(mdLines[0].startsWith("| method | split | seed | forget_quality | model_utility |"), mdLines[0]);
        assertTrue(mdLines[0].endsWith("| wall_s | kl |"), mdLines[0]);
        assertTrue(mdLines[2].contains("| 1.83e-21 | 0.623 | 0.991 | 0.985 | 0.516 | – | – | -99.81 | – | 12.3 | – |"),
                mdLines[2]);
        assertTrue(mdLines[3].contains("| 1.00e+00 |"), mdLines[3]);
        assertTrue(mdLines[6].contains("| no-retain-log | forget10 | 1 | – | – |"), mdLines[6]);

        String[] csvLines = csv.split("\n");
        assertEquals("method,split,seed,forget_quality,model_utility,forget_prob,forget_rouge,forget_truth_ratio,"
                + "retain_prob,retain_rouge,privleak,extraction_strength,wall_s,kl", csvLines[0]);
        assertTrue(csvLines[1].startsWith("target,forget10,0,1.830000e-21,0.622700,0.991230,"), csvLines[1]);
        assertTrue(csvLines[3].startsWith("\"npo, β=0.1\",forget10,0,4.200000e-01,"), csvLines[3]);
        assertTrue(csvLines[3].endsWith(",30.000,0.250000"), csvLines[3]);
        assertEquals("no-retain-log,forget10,1,,,,,,,,,,,", csvLines[5]);
        assertNull(t.rows().get(4).forgetQuality());
    }

    @Test
    void plotIsANonEmptyPng() throws Exception {
        Path file = new FqVsMuPlot("TOFU forget10 (test)").write(tmp, rows());
        assertEquals(FqVsMuPlot.FILE, file.getFileName().toString());
        byte[] bytes = Files.readAllBytes(file);
        assertTrue(bytes.length > 5_000, "PNG has " + bytes.length + " bytes");
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(bytes, 4));
        BufferedImage img = ImageIO.read(file.toFile());
        assertEquals(900, img.getWidth());
        assertEquals(600, img.getHeight());
        // something other than background was drawn: count distinct colours in the plot area
        long distinct = java.util.stream.IntStream.range(0, 200)
                .map(i -> img.getRGB(100 + i * 3, 300)).distinct().count();
        assertTrue(distinct > 1, "plot looks blank");
        if (System.getProperty("report.keep") != null) {
            Files.copy(file, Path.of(System.getProperty("report.keep")), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}

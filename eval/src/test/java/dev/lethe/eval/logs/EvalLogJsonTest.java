package dev.lethe.eval.logs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.eval.metrics.engine.EvalLog;
import dev.lethe.eval.metrics.engine.MetricResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalLogJsonTest {

    private static EvalLog sample() {
        Map<String, Map<String, Object>> tr = new LinkedHashMap<>();
        tr.put("2", new LinkedHashMap<>(Map.of("score", 0.5)));
        tr.put("10", new LinkedHashMap<>(Map.of("score", 2.0)));
        Map<String, Map<String, Object>> pert = new LinkedHashMap<>();
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("prob", List.of(0.1, 0.2));
        e.put("avg_loss", List.of(2.3, 1.6));
        pert.put("2", e);
        Map<String, MetricResult> m = new LinkedHashMap<>();
        m.put("forget_quality", MetricResult.aggregateOnly(null));
        m.put("forget_Truth_Ratio", MetricResult.of(0.5, tr));
        m.put("forget_Q_A_PERT_Prob", MetricResult.of(Double.NaN, pert));
        m.put("mia_min_k", new MetricResult(0.75, Map.of(), Map.of("forget", MetricResult.of(1.0, tr), "auc", 0.75)));
        return new EvalLog(null, m);
    }

    @Test
    void roundTripSortedDeterministicAtomic(@TempDir Path dir) throws IOException {
        Path f = EvalLogJson.writeEvalLog(dir, sample());
        byte[] first = Files.readAllBytes(f);
        EvalLogJson.writeEvalLog(dir, sample());
        assertArrayEquals(first, Files.readAllBytes(f), "same log, same bytes");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(EvalLogJson.EVAL_FILE), s.map(p -> p.getFileName().toString()).toList(), "no temp files left");
        }
        String text = Files.readString(f);
        // top level sorted by name (OU's save_logs), per-index order kept as written
        assertTrue(text.indexOf("\"forget_Q_A_PERT_Prob\"") < text.indexOf("\"forget_Truth_Ratio\"")
                && text.indexOf("\"forget_Truth_Ratio\"") < text.indexOf("\"forget_quality\""), text);
        assertTrue(text.indexOf("\"2\"") < text.indexOf("\"10\""), text);
        assertTrue(text.contains("NaN") && !text.contains("\"NaN\""), "NaN written bare like Python's json");

        EvalLog back = EvalLogJson.read(f);
        assertNull(back.require("forget_quality").aggValue());
        assertEquals(0.5, back.require("forget_Truth_Ratio").aggValue());
        assertEquals(2.0, (Double) back.require("forget_Truth_Ratio").entry("10").get("score"));
        assertEquals(List.of(0.1, 0.2), back.require("forget_Q_A_PERT_Prob").entry("2").get("prob"));
        assertArrayEquals(new double[] {(0.1 + 0.2) / 2}, back.require("forget_Q_A_PERT_Prob").rowMeans("prob", "x"), 1e-15);
        assertTrue(Double.isNaN(back.require("forget_Q_A_PERT_Prob").aggValue()));
        MetricResult nested = (MetricResult) back.require("mia_min_k").extra().get("forget");
        assertEquals(1.0, nested.aggValue());
        assertEquals(0.75, back.require("mia_min_k").extra().get("auc"));
    }

    @Test
    void summaryHoldsRequestedAggregatesOnly(@TempDir Path dir) throws IOException {
        EvalLogJson.write(dir, sample(), List.of("forget_quality", "forget_Truth_Ratio"));
        String s = Files.readString(dir.resolve(EvalLogJson.SUMMARY_FILE));
        assertTrue(s.contains("\"forget_Truth_Ratio\": 0.5"), s);
        assertTrue(!s.contains("forget_quality") && !s.contains("PERT"), s);
    }

    @Test
    void readErrorsNameFileAndMetric(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("TOFU_EVAL.json");
        Files.writeString(f, "{\"forget_Truth_Ratio\": {\"agg_value\": \"high\"}}");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> EvalLogJson.read(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("forget_Truth_Ratio"), e.getMessage());
    }
}

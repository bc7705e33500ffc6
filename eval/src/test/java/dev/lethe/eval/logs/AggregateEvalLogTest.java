package dev.lethe.eval.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.eval.ReferenceLogs;
import dev.lethe.eval.SharedData;
import dev.lethe.eval.metrics.engine.EvalLog;
import dev.lethe.eval.metrics.engine.MetricResult;
import dev.lethe.eval.metrics.tofu.TofuMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lethe aggregate --eval-log}: re-aggregating an OU-layout log from its per-index values. */
class AggregateEvalLogTest {

    @Test
    void recomputesFqAndMuFromPerIndexValuesAndFlagsTamperedAggregates(@TempDir Path dir) throws Exception {
        Path modelDir = Files.createDirectories(dir.resolve("full"));
        Path retainDir = Files.createDirectories(dir.resolve("retain"));
        EvalLog model = ReferenceLogs.read(SharedData.referenceLog("llama2-7b", "full"));
        EvalLog retain = ReferenceLogs.read(SharedData.referenceLog("llama2-7b", "retain90"));
        // Tamper with a stored aggregate: recomputation must ignore it and the table must show it.
        Map<String, MetricResult> m = new LinkedHashMap<>(model.metrics());
        MetricResult tr = m.get(TofuMetrics.FORGET_TRUTH_RATIO);
        m.put(TofuMetrics.FORGET_TRUTH_RATIO, new MetricResult(0.9, tr.valueByIndex(), tr.extra()));
        EvalLogJson.write(modelDir, new EvalLog(null, m), List.of(TofuMetrics.FORGET_TRUTH_RATIO));
        EvalLogJson.write(retainDir, retain, List.of(TofuMetrics.FORGET_TRUTH_RATIO));

        AggregateResult r = Aggregate.evalLog(modelDir.resolve(EvalLogJson.EVAL_FILE), retainDir.resolve(EvalLogJson.EVAL_FILE));
        assertEquals(0.516, r.get(TofuMetrics.FORGET_TRUTH_RATIO), 5e-4);
        assertEquals(0.9, r.stored().get(TofuMetrics.FORGET_TRUTH_RATIO));
        assertEquals(1.834066410994743e-21, r.get(TofuMetrics.FORGET_QUALITY), 1e-6 * 1.834e-21);
        // OU flavour on re-read (real-authors/world-facts TR against the answer): 0.6227 within 2e-4
        assertEquals(0.6227, r.get(TofuMetrics.MODEL_UTILITY), 2e-4);
        String table = r.table();
        assertTrue(table.contains("*differs*") && table.contains("forget_quality"), table);

        AggregateResult noRetain = Aggregate.evalLog(modelDir.resolve(EvalLogJson.EVAL_FILE), null);
        assertTrue(!noRetain.values().containsKey(TofuMetrics.FORGET_QUALITY), noRetain.table());
    }
}

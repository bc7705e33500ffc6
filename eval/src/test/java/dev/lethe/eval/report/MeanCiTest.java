package dev.lethe.eval.report;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MeanCiTest {

    @Test
    void threeSeedsUseTWithTwoDegreesOfFreedom() {
        // mean 2, s = 1, t(0.975; 2) = 4.302653 (tables), half-width = 4.302653 / √3
        MeanCi c = MeanCi.of(List.of(1.0, 2.0, 3.0));
        assertEquals(2.0, c.mean(), 1e-12);
        assertEquals(4.302653 / Math.sqrt(3), c.halfWidth(), 1e-6);
        assertEquals(3, c.n());
        assertEquals("2.000 ± 2.484", c.format("%.3f"));
    }

    @Test
    void missingValuesAreLeftOutAndOneValueHasNoInterval() {
        MeanCi c = MeanCi.of(Arrays.asList(0.5, null, Double.NaN));
        assertEquals(1, c.n());
        assertEquals(0.5, c.mean(), 0);
        assertTrue(Double.isNaN(c.halfWidth()));
        assertEquals("0.500", c.format("%.3f"));
        assertEquals("–", MeanCi.of(List.of()).format("%.3f"));
    }

    @Test
    void seedTableGroupsRowsByMethod() {
        SeedTable t = new SeedTable()
                .addSeed(1, List.of(row("ga", 0.4), row("npo", 0.5)))
                .addSeed(2, List.of(row("ga", 0.6), row("npo", 0.5)));
        assertEquals(0.5, t.summary().get("ga").get("model_utility").mean(), 1e-12);
        assertEquals(0.0, t.summary().get("npo").get("model_utility").halfWidth(), 1e-12);
        String md = t.toMarkdown();
        assertTrue(md.startsWith("| method | seeds | forget_quality | model_utility |"), md);
        assertTrue(md.contains("| ga | 2 |"), md);
        assertTrue(t.toCsv().contains("model_utility,model_utility_ci95"));
    }

    @Test
    void seedTableAveragesExtraColumnsAfterTheFixedOnes() {
        SeedTable t = new SeedTable()
                .addSeed(1, List.of(row("ga", 0.4).withExtra("icl_recovery", 0.2), row("target", 0.8)))
                .addSeed(2, List.of(row("ga", 0.6).withExtra("icl_recovery", 0.4), row("target", 0.8)));
        assertEquals(0.3, t.summary().get("ga").get("icl_recovery").mean(), 1e-12);
        assertEquals(0, t.summary().get("target").get("icl_recovery").n(), "absent is not 0");
        String header = t.toMarkdown().lines().findFirst().orElseThrow();
        assertTrue(header.endsWith("| extraction_strength | icl_recovery |"), header);
        assertTrue(t.toCsv().startsWith("method,seeds,forget_quality"));
        assertTrue(t.toCsv().lines().findFirst().orElseThrow().endsWith(",icl_recovery,icl_recovery_ci95"));
    }

    private static ResultRow row(String method, double mu) {
        return new ResultRow(method, "forget10", 0, 0.1, mu, null, null, null, null, null, null, null, 1.0, null);
    }
}

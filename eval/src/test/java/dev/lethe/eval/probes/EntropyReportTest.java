package dev.lethe.eval.probes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.eval.probes.EntropyReport.Estimate;
import dev.lethe.eval.probes.EntropyReport.Probed;
import dev.lethe.eval.probes.EntropyReport.PromptSet;
import dev.lethe.eval.probes.MatrixEntropyProbe.Profile;
import dev.lethe.eval.probes.MatrixEntropyProbe.Stream;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's arithmetic on hand-made profiles: 2 layers, 2 query heads, 1 kv head. */
class EntropyReportTest {

    /** A profile with every hidden row = h (embedding row = emb), every query head = q, every key head = k. */
    private static Profile profile(double emb, double h, double q, double k) {
        return new Profile(new double[] {emb, h, h}, new double[][] {{q, q}, {q, q}}, new double[][] {{k}, {k}});
    }

    /** Target: entropy 0.5 + 0.01·p on prompt p, 3 forget and 4 retain prompts. */
    private static List<Profile> target(int n) {
        List<Profile> out = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            double x = 0.5 + 0.01 * p;
            out.add(profile(x, x, x, x));
        }
        return out;
    }

    /** The target's profiles with {@code shift(p)} added to every block row, query and key (not the embedding row). */
    private static List<Profile> shifted(List<Profile> t, double[] shift) {
        List<Profile> out = new ArrayList<>();
        for (int p = 0; p < t.size(); p++) {
            Profile b = t.get(p);
            double x = b.hidden()[1] + shift[p];
            out.add(profile(b.hidden()[0], x, b.queries()[0][0] + shift[p], b.keys()[0][0] + shift[p]));
        }
        return out;
    }

    @Test
    void deltaAndFingerprintArePairedMeansWithTheirStandardErrors() {
        List<Profile> tf = target(3);
        List<Profile> tr = target(4);
        // forget-only drop of 0.1, 0.2, 0.3 (mean −0.2, sd 0.1); retain unchanged
        Probed collapsed = new Probed("ga", shifted(tf, new double[] {-0.1, -0.2, -0.3}), shifted(tr, new double[4]));
        EntropyReport r = new EntropyReport(List.of(new Probed("target", tf, tr), collapsed));

        Estimate[][] e = r.entropy(0, PromptSet.FORGET, Stream.HIDDEN);
        assertEquals(3, e.length);
        assertEquals(0.51, e[1][0].value(), 1e-15);
        assertEquals(0.01 / Math.sqrt(3), e[1][0].se(), 1e-15);

        for (Stream s : Stream.values()) {
            Estimate[][] df = r.delta(1, PromptSet.FORGET, s);
            Estimate[][] dr = r.delta(1, PromptSet.RETAIN, s);
            int last = df.length - 1;
            assertEquals(-0.2, df[last][0].value(), 1e-15, s.id());
            // the pairing removes the target's prompt-to-prompt spread: only the drop's spread is left
            assertEquals(0.1 / Math.sqrt(3), df[last][0].se(), 1e-15, s.id());
            assertEquals(0.0, dr[last][0].value(), 0.0, s.id());
            assertEquals(0.0, dr[last][0].se(), 0.0, s.id());
            Estimate f = r.fingerprint(1, s);
            assertEquals(-0.2, f.value(), 1e-15, s.id());
            assertEquals(0.1 / Math.sqrt(3), f.se(), 1e-15, s.id());
            assertEquals(-0.2 - 1.959963984540054 * 0.1 / Math.sqrt(3), f.low(), 1e-12, s.id());
        }
        // the embedding row did not change and is not part of the hidden fingerprint
        assertEquals(0.0, r.delta(1, PromptSet.FORGET, Stream.HIDDEN)[0][0].value(), 0.0);
    }

    @Test
    void fingerprintAveragesLayersAndUnitsAndCombinesBothErrors() {
        List<Profile> tf = target(2);
        List<Profile> tr = target(2);
        // unlearned: forget query head 0 of layer 0 drops by 0.4 on both prompts; retain keys rise by 0.1 / 0.3
        List<Profile> uf = new ArrayList<>();
        for (Profile p : tf) {
            double[][] q = {{p.queries()[0][0] - 0.4, p.queries()[0][1]}, p.queries()[1].clone()};
            uf.add(new Profile(p.hidden().clone(), q, p.keys()));
        }
        List<Profile> ur = new ArrayList<>();
        double[] rise = {0.1, 0.3};
        for (int i = 0; i < tr.size(); i++) {
            Profile p = tr.get(i);
            ur.add(new Profile(p.hidden().clone(), p.queries(), new double[][] {{p.keys()[0][0] + rise[i]},
                    {p.keys()[1][0] + rise[i]}}));
        }
        EntropyReport r = new EntropyReport(List.of(new Probed("M", tf, tr), new Probed("M^", uf, ur)));
        // one of four (layer, head) cells moved by −0.4 on forget: mean −0.1, no spread
        Estimate q = r.fingerprint(1, Stream.QUERIES);
        assertEquals(-0.1, q.value(), 1e-14);
        assertEquals(0.0, q.se(), 1e-14);
        // retain keys: Δ = 0.1, 0.3 → ΔR = 0.2 ± 0.1, so the fingerprint is −0.2 ± √(0² + 0.1²)
        Estimate k = r.fingerprint(1, Stream.KEYS);
        assertEquals(-0.2, k.value(), 1e-14);
        assertEquals(0.1, k.se(), 1e-14);
        assertEquals(0.0, r.fingerprint(1, Stream.HIDDEN).value(), 0.0);
    }

    @Test
    void aModelAgainstItselfHasZeroDeltaExactlyAndAUniformShiftCancels() {
        List<Profile> tf = target(3);
        List<Profile> tr = target(3);
        double[] same = {0.05, -0.02, 0.07};
        EntropyReport r = new EntropyReport(List.of(new Probed("target", tf, tr), new Probed("copy", tf, tr),
                new Probed("uniform", shifted(tf, same), shifted(tr, same))));
        for (Stream s : Stream.values()) {
            Estimate f = r.fingerprint(1, s);
            assertEquals(0.0, f.value(), 0.0);
            assertEquals(0.0, f.se(), 0.0);
            for (PromptSet set : PromptSet.values()) {
                for (Estimate[] row : r.delta(1, set, s)) {
                    for (Estimate d : row) {
                        assertEquals(0.0, d.value(), 0.0);
                    }
                }
            }
            // the same change on forget and retain inputs is no fingerprint
            assertEquals(0.0, r.fingerprint(2, s).value(), 1e-15, s.id());
        }
    }

    @Test
    void jsonAndTableCarryEveryNumber() {
        List<Profile> tf = target(2);
        List<Profile> tr = target(2);
        EntropyReport r = new EntropyReport(List.of(new Probed("target", tf, tr),
                new Probed("ga", shifted(tf, new double[] {-0.1, -0.3}), tr)));
        JsonNode j = r.toJson();
        assertEquals(2, j.get("prompts").get("forget").asInt());
        assertEquals("emb", j.get("streams").get("hidden").get("rows").get(0).asText());
        assertEquals(2, j.get("streams").get("queries").get("units").asInt());
        JsonNode t = j.get("results").get("target");
        assertTrue(t.get("fingerprint").get("hidden").isNull());
        assertTrue(t.get("hidden").get("forget").get("delta").isNull());
        JsonNode ga = j.get("results").get("ga");
        assertEquals(-0.2, ga.get("fingerprint").get("hidden").get("value").asDouble(), 1e-15);
        assertEquals(0.1, ga.get("fingerprint").get("hidden").get("se").asDouble(), 1e-15);
        // one unit: plain per-layer arrays; per-prompt values are kept for later intervals
        assertEquals(-0.2, ga.get("hidden").get("forget").get("delta").get("mean").get(2).asDouble(), 1e-15);
        assertEquals(0.5 - 0.1, ga.get("hidden").get("forget").get("per_prompt").get(0).get(1).asDouble(), 1e-15);
        assertEquals(2, ga.get("queries").get("retain").get("entropy").get("mean").get(1).size());
        String table = r.toTable();
        assertTrue(table.contains("| ga | -0.2000 ± 0.1000 | -0.2000 ± 0.1000 | -0.2000 ± 0.1000 |"), table);
        assertTrue(table.contains("| emb | 0.5050 | 0.5050 | 0.5050 | 0.5050 | +0.0000 | +0.0000 |"), table);
        assertTrue(table.contains("| 2 | 0.5050 | 0.5050 | 0.3050 | 0.5050 | -0.2000 | +0.0000 |"), table);
    }

    @Test
    void mismatchedModelsAreRejectedClearly() {
        List<Profile> tf = target(2);
        List<Profile> tr = target(2);
        IllegalArgumentException count = assertThrows(IllegalArgumentException.class, () -> new EntropyReport(
                List.of(new Probed("target", tf, tr), new Probed("ga", tf.subList(0, 1), tr))));
        assertTrue(count.getMessage().contains("expected 2 forget profiles"), count.getMessage());
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> new EntropyReport(
                List.of(new Probed("m", tf, tr), new Probed("m", tf, tr))));
        assertTrue(name.getMessage().contains("named 'm'"), name.getMessage());
        Profile wide = new Profile(new double[] {0, 0, 0}, new double[][] {{0, 0, 0}, {0, 0, 0}}, new double[][] {{0}, {0}});
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class, () -> new EntropyReport(
                List.of(new Probed("target", tf, tr), new Probed("ga", List.of(wide, wide), tr))));
        assertTrue(shape.getMessage().contains("queries"), shape.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new EntropyReport(List.of(new Probed("t", tf, tr)))
                .fingerprint(0, Stream.HIDDEN));
    }
}

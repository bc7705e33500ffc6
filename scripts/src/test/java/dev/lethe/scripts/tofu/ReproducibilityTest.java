package dev.lethe.scripts.tofu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Same seed, same bytes: {@code results.json} of two independent runs (separate directories, nothing
 * resumed) must be identical, and must carry no clock; its rows carry the ICL recovery columns. The fast test runs the micro preset; the slow one
 * (-Pslow) the real tiny preset with every method, i.e. what
 * {@code cmp runs/a/results.json runs/b/results.json} checks by hand.
 */
class ReproducibilityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sameSeedGivesByteIdenticalResultsAndSeedSweepReusesThem(@TempDir Path tmp) throws Exception {
        List<String> methods = List.of("ga", "uld");
        Path single = tmp.resolve("single");
        new TofuMini(MicroPreset.options(methods, 0, single, null)).run();

        // a two-seed sweep with a shared world: its seed-0 run must equal the independent one to the byte
        Path sweep = tmp.resolve("sweep");
        SeedSweep.Result r = new SeedSweep(MicroPreset.options(methods, 0, sweep, null), List.of(0L, 1L)).run();

        byte[] a = Files.readAllBytes(single.resolve(TofuMini.RESULTS_FILE));
        byte[] b = Files.readAllBytes(SeedSweep.seedDir(sweep, 0).resolve(TofuMini.RESULTS_FILE));
        assertArrayEquals(a, b, "results.json differs between two runs with seed 0");
        assertFalse(Files.exists(SeedSweep.seedDir(sweep, 0).resolve("world")), "the sweep's seeds share one world");

        String text = new String(a, java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(text.contains("wall_s"), "results.json must not carry wall-clock times");
        assertFalse(text.contains("timings"), "results.json must not carry timings");
        JsonNode timings = JSON.readTree(single.resolve(TofuMini.TIMINGS_FILE).toFile());
        assertTrue(timings.path("wall_s").path("ga").isNumber(), "timings.json keeps each method's wall_s");
        assertTrue(timings.path("steps").has("base"), "timings.json keeps the steps' timings");
        assertTrue(Files.readString(single.resolve("table.md")).contains("wall_s"), "table.md keeps wall_s");
        assertIclColumns(single, methods);

        // the other seed really is another run, and the aggregated table has intervals
        assertFalse(java.util.Arrays.equals(a,
                Files.readAllBytes(SeedSweep.seedDir(sweep, 1).resolve(TofuMini.RESULTS_FILE))));
        String table = Files.readString(sweep.resolve("table.md"));
        assertTrue(table.contains(" ± "), table);
        assertEquals(List.of("oracle", "target", "ga", "uld"), List.copyOf(r.table().summary().keySet()));
        JsonNode agg = JSON.readTree(sweep.resolve(TofuMini.RESULTS_FILE).toFile());
        assertEquals(2, agg.path("methods").path("ga").path("model_utility").path("n").asInt());
        assertTrue(Files.isRegularFile(sweep.resolve(TofuMini.TIMINGS_FILE)));
        assertFalse(Files.readString(sweep.resolve(TofuMini.RESULTS_FILE)).contains("wall_s"));
    }

    /**
     * The ICL recovery columns (in table.md, table.csv and results.json, so covered by the byte comparison
     * above) and each model's attack report beside them.
     */
    private static void assertIclColumns(Path out, List<String> methods) throws Exception {
        String header = Files.readString(out.resolve("table.md")).lines().findFirst().orElseThrow();
        assertTrue(header.endsWith("| wall_s | " + IclStage.RECOVERY + " | " + IclStage.EXCESS + " |"), header);
        assertTrue(Files.readString(out.resolve("table.csv")).lines().findFirst().orElseThrow()
                .endsWith("," + IclStage.RECOVERY + "," + IclStage.EXCESS));
        JsonNode rows = JSON.readTree(out.resolve(TofuMini.RESULTS_FILE).toFile()).get("rows");
        List<String> names = new java.util.ArrayList<>();
        for (JsonNode row : rows) {
            names.add(row.get("method").asText());
            assertTrue(row.has(IclStage.RECOVERY) && row.has(IclStage.EXCESS), row.toString());
        }
        assertEquals(0.0, rows.get(0).get(IclStage.EXCESS).asDouble(), "E of the oracle against itself");
        assertTrue(rows.get(1).get(IclStage.RECOVERY).isNull(), "the target forgot nothing: ρ is not defined");
        for (String m : names) {
            JsonNode rep = JSON.readTree(out.resolve("attack").resolve(m).resolve(IclStage.REPORT_FILE).toFile());
            assertEquals(8, rep.get("items").asInt(), m);
            List<String> hints = new java.util.ArrayList<>();
            rep.get("conditions").forEach(c -> hints.add(c.get("hint").asText()));
            assertEquals(List.of("H0", "H1", "H7"), hints, m);
        }
        assertEquals(methods, names.subList(2, names.size()));
        assertTrue(JSON.readTree(out.resolve(TofuMini.TIMINGS_FILE).toFile()).path("steps").path("attack/"
                + methods.get(0)).path("attack_s").isNumber(), "attack times go to timings.json");
    }

    /** The real thing, every method: about 2 × 2 minutes on one thread. */
    @Test
    @Tag("slow")
    void tinyPresetTwiceIsByteIdentical(@TempDir Path tmp) throws Exception {
        Preset p = Preset.named("tiny");
        Map<String, MethodRunner> extra = new java.util.LinkedHashMap<>();
        extra.put("uld", new UldRunner());
        extra.put("eco", new EcoRunner());
        byte[][] out = new byte[2][];
        for (int i = 0; i < 2; i++) {
            Path dir = tmp.resolve("run" + i);
            new TofuMini(new TofuMini.Options(p, "forget10", p.methods(), 0, dir, false, false, false, Map.of(),
                    extra)).run();
            out[i] = Files.readAllBytes(dir.resolve(TofuMini.RESULTS_FILE));
        }
        assertArrayEquals(out[0], out[1], "tiny results.json differs between two runs with seed 0");
    }
}

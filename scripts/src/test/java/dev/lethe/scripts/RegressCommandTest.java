package dev.lethe.scripts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.scripts.regress.Baseline;
import dev.lethe.scripts.tofu.Preset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lethe regress} on doctored results.json files: it must fail on a utility drop and only then. */
class RegressCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path CHECKED_IN = Path.of("baselines", "tiny.json"); // tests run in scripts/

    @Test
    void identicalRunPasses(@TempDir Path tmp) throws Exception {
        Path results = results(tmp, "a.json", 0.0, "tiny", 0);
        Path baseline = tmp.resolve("base.json");
        assertEquals(0, run("--results", results.toString(), "--baseline", baseline.toString(), "--update").code);
        Run r = run("--results", results.toString(), "--baseline", baseline.toString());
        assertEquals(0, r.code, r.out);
        assertTrue(r.out.contains("PASSED"), r.out);
    }

    @Test
    void utilityDropBeyondToleranceFailsWithATable(@TempDir Path tmp) throws Exception {
        Path baseline = tmp.resolve("base.json");
        run("--results", results(tmp, "a.json", 0.0, "tiny", 0).toString(), "--baseline", baseline.toString(), "--update");
        Path degraded = results(tmp, "b.json", -0.10, "tiny", 0); // npo loses 0.10 utility
        Run r = run("--results", degraded.toString(), "--baseline", baseline.toString());
        assertEquals(1, r.code, r.out);
        assertTrue(r.out.lines().anyMatch(l -> l.startsWith("npo") && l.contains("REGRESSED")), r.out);
        assertTrue(r.out.lines().anyMatch(l -> l.startsWith("ga") && l.endsWith("ok")), r.out);
        assertTrue(r.out.contains("FAILED"), r.out);
        // a wider tolerance lets the same drop through
        assertEquals(0, run("--results", degraded.toString(), "--baseline", baseline.toString(),
                "--tolerance", "0.2").code);
        // a drop inside the default tolerance passes
        assertEquals(0, run("--results", results(tmp, "c.json", -0.01, "tiny", 0).toString(),
                "--baseline", baseline.toString()).code);
    }

    @Test
    void missingMethodNaNOrOtherSeedFails(@TempDir Path tmp) throws Exception {
        Path baseline = tmp.resolve("base.json");
        run("--results", results(tmp, "a.json", 0.0, "tiny", 0).toString(), "--baseline", baseline.toString(), "--update");
        Path nan = results(tmp, "nan.json", Double.NaN, "tiny", 0);
        Run r = run("--results", nan.toString(), "--baseline", baseline.toString());
        assertEquals(1, r.code, r.out);
        assertTrue(r.out.contains("MU is not a number"), r.out);
        Run seed = run("--results", results(tmp, "s.json", 0.0, "tiny", 3).toString(), "--baseline", baseline.toString());
        assertEquals(1, seed.code, seed.out);
        assertTrue(seed.out.contains("seed 0, the run with seed 3"), seed.out);

        ObjectNode doc = (ObjectNode) JSON.readTree(results(tmp, "m.json", 0.0, "tiny", 0).toFile());
        doc.withArray("rows").remove(2);
        Files.writeString(tmp.resolve("m.json"), JSON.writeValueAsString(doc));
        Run missing = run("--results", tmp.resolve("m.json").toString(), "--baseline", baseline.toString());
        assertEquals(1, missing.code, missing.out);
        assertTrue(missing.out.contains("MISSING"), missing.out);
    }

    @Test
    void checkedInBaselineCoversEveryMethodOfTheTinyPreset() throws Exception {
        Baseline b = Baseline.read(CHECKED_IN);
        assertEquals("tiny", b.preset());
        assertEquals("forget10", b.split());
        assertEquals(0, b.seed());
        List<String> want = new ArrayList<>(List.of("oracle", "target"));
        want.addAll(Preset.named("tiny").methods());
        assertEquals(want, List.copyOf(b.methods().keySet()));
        // every utility is a number in [0, 1] (plain gradient ascent legitimately destroys it: 0)
        b.methods().forEach((m, n) -> assertTrue(n.modelUtility() != null && n.modelUtility() >= 0 && n.modelUtility() <= 1, m));
    }

    /** A results.json shaped like tofu-mini's, with npo's utility moved by {@code npoDelta}. */
    private static Path results(Path dir, String name, double npoDelta, String preset, long seed) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        var rows = root.putArray("rows");
        String[] methods = {"oracle", "target", "ga", "npo"};
        double[] mu = {0.60, 0.62, 0.30, 0.55};
        for (int i = 0; i < methods.length; i++) {
            ObjectNode r = rows.addObject();
            r.put("method", methods[i]);
            double v = methods[i].equals("npo") ? mu[i] + npoDelta : mu[i];
            if (Double.isNaN(v)) {
                r.put("model_utility", "NaN"); // Jackson writes NaN as a string by default
            } else {
                r.put("model_utility", v);
            }
            if (i == 0) {
                r.putNull("forget_quality");
            } else {
                r.put("forget_quality", Math.pow(10, -i));
            }
        }
        ObjectNode prov = root.putObject("provenance");
        prov.put("seed", seed);
        prov.put("git_sha", "test");
        prov.putObject("config").put("preset", preset).put("split", "forget10");
        Path f = dir.resolve(name);
        Files.writeString(f, JSON.writeValueAsString(root));
        return f;
    }

    private record Run(int code, String out) {}

    private static Run run(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = new CommandLine(new RegressCommand()).execute(args);
            return new Run(code, buf.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }
}

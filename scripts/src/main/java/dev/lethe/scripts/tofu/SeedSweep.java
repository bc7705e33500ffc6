package dev.lethe.scripts.tofu;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.core.util.AtomicFiles;
import dev.lethe.eval.report.MeanCi;
import dev.lethe.eval.report.SeedTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code tofu-mini --seeds 1,2,3}: the single-seed pipeline once per seed, each in {@code out/seed<N>/} (a
 * complete single-seed run directory, resumable on its own), all sharing {@code out/world/} because the
 * world depends on the preset only. Then {@code out/table.md}, {@code table.csv} (mean ± 95 % t-interval per
 * method and metric, see {@link SeedTable}), {@code results.json} (the same numbers, seed-determined) and
 * {@code timings.json} (each seed's wall-clock times).
 */
public final class SeedSweep {

    /** What {@link #run()} returns: the per-seed results and the aggregated table. */
    public record Result(List<TofuMini.Result> perSeed, SeedTable table, Path out) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final TofuMini.Options template;
    private final List<Long> seeds;

    /**
     * @param template options of one run; its seed and world directory are replaced per seed, its
     *     {@code out} is the sweep's directory
     */
    public SeedSweep(TofuMini.Options template, List<Long> seeds) {
        if (seeds.isEmpty() || seeds.stream().distinct().count() != seeds.size()) {
            throw new IllegalArgumentException("--seeds needs distinct seeds, got " + seeds);
        }
        this.template = template;
        this.seeds = List.copyOf(seeds);
    }

    public static Path seedDir(Path out, long seed) {
        return out.resolve("seed" + seed);
    }

    public Result run() throws IOException {
        TofuMini.Options t = template;
        Path out = t.out();
        Files.createDirectories(out);
        SeedTable table = new SeedTable();
        List<TofuMini.Result> results = new ArrayList<>();
        for (long seed : seeds) {
            Stage.log("seed " + seed + " (" + (results.size() + 1) + " of " + seeds.size() + ")");
            TofuMini.Options o = new TofuMini.Options(t.preset(), t.split(), t.methods(), seed, seedDir(out, seed),
                    t.force(), t.sanity(), t.progress(), t.overrides(), t.extraRunners(), out.resolve("world"),
                    t.data());
            TofuMini.Result r = new TofuMini(o).run();
            results.add(r);
            table.addSeed(seed, r.rows());
        }
        table.write(out);
        writeResults(out, table);
        writeTimings(out);
        System.out.println(table.toMarkdown());
        return new Result(results, table, out);
    }

    private void writeResults(Path out, SeedTable table) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("preset", template.preset().name());
        root.put("split", template.split());
        ArrayNode s = root.putArray("seeds");
        seeds.forEach(s::add);
        root.put("confidence", MeanCi.LEVEL);
        root.put("interval", "t-distribution, n-1 degrees of freedom");
        ObjectNode methods = root.putObject("methods");
        for (Map.Entry<String, Map<String, MeanCi>> e : table.summary().entrySet()) {
            ObjectNode m = methods.putObject(e.getKey());
            e.getValue().forEach((metric, ci) -> {
                ObjectNode c = m.putObject(metric);
                put(c, "mean", ci.mean());
                put(c, "ci95", ci.halfWidth());
                c.put("n", ci.n());
            });
        }
        AtomicFiles.writeString(out.resolve(TofuMini.RESULTS_FILE), JSON.writeValueAsString(root) + "\n");
    }

    private static void put(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) {
            n.put(key, v);
        } else {
            n.putNull(key);
        }
    }

    private void writeTimings(Path out) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        for (long seed : seeds) {
            Path f = seedDir(out, seed).resolve(TofuMini.TIMINGS_FILE);
            if (Files.isRegularFile(f)) {
                root.set("seed" + seed, JSON.readTree(f.toFile()));
            }
        }
        AtomicFiles.writeString(out.resolve(TofuMini.TIMINGS_FILE), JSON.writeValueAsString(root) + "\n");
    }
}

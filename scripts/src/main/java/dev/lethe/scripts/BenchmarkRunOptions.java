package dev.lethe.scripts;

import dev.lethe.scripts.tofu.EcoRunner;
import dev.lethe.scripts.tofu.MethodRunner;
import dev.lethe.scripts.tofu.Preset;
import dev.lethe.scripts.tofu.TofuMini;
import dev.lethe.scripts.tofu.UldRunner;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The options {@code tofu-mini} and {@code tofu} share (a picocli mixin), and how they become pipeline options. */
final class BenchmarkRunOptions {

    @Option(names = "--split", description = "forget01 | forget05 | forget10 (default ${DEFAULT-VALUE})")
    String split = "forget10";

    @Option(names = "--methods", split = ",", description = "methods to run (default: all of the preset's)")
    List<String> methods;

    @Option(names = "--seed", description = "seed of model init, data order and unlearning (default ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--seeds", split = ",", description = "run every seed (sharing the world) and report mean ± 95 %% CI "
            + "per metric in table.md; replaces --seed")
    List<Long> seeds;

    @Option(names = "--out", description = "run directory (default under runs/)")
    Path out;

    @Option(names = "--force", description = "redo every step even when its artefact is up to date")
    boolean force;

    @Option(names = "--sanity", description = "also train a second oracle (seed + 1000) and report FQ(oracle₂ vs oracle)")
    boolean sanity;

    @Option(names = "--set", description = "method setting, e.g. npo.beta=0.2 or lr=1e-3 (all methods); repeatable")
    List<String> settings = List.of();

    // a plain flag: picocli's negatable form with a true default turns --no-progress into "true"
    @Option(names = "--no-progress", description = "hide the progress bars")
    boolean noProgress;

    /**
     * Runs the pipeline: once for {@code --seed}, or once per {@code --seeds} entry with the mean ± CI table.
     *
     * @param name the run's default directory name under runs/ (the seed part is added)
     * @param data a TOFU-layout directory to use instead of a synthetic world, or null
     */
    int runPipeline(Preset p, String name, Path data) throws java.io.IOException {
        if (seeds != null && !seeds.isEmpty()) {
            Path dir = out != null ? out : Path.of("runs", name + "-seeds"
                    + String.join("_", seeds.stream().map(String::valueOf).toList()));
            dev.lethe.scripts.tofu.SeedSweep.Result r = new dev.lethe.scripts.tofu.SeedSweep(
                    options(p, seeds.get(0), dir, data), seeds).run();
            System.out.println("wrote " + r.out().resolve("table.md") + " (mean ± 95% CI over seeds " + seeds
                    + "), table.csv, results.json, timings.json; per seed: "
                    + dev.lethe.scripts.tofu.SeedSweep.seedDir(r.out(), seeds.get(0)).getFileName() + "/ …");
            return 0;
        }
        Path dir = out != null ? out : Path.of("runs", name + "-seed" + seed);
        TofuMini.Result r = new TofuMini(options(p, seed, dir, data)).run();
        System.out.println("wrote " + r.out().resolve("table.md")
                + ", table.csv, results.json, timings.json, fq_vs_mu.png");
        return 0;
    }

    /** Pipeline options for one seed; {@code data} is a TOFU-layout directory to use instead of a synthetic world. */
    TofuMini.Options options(Preset p, long seed, Path dir, Path data) {
        SplitOption.forgetPercent(split); // fails early, before any training
        Map<String, MethodRunner> extra = new LinkedHashMap<>();
        extra.put("uld", new UldRunner());
        extra.put("eco", new EcoRunner());
        return new TofuMini.Options(p, split, methods != null ? methods : p.methods(), seed, dir, force, sanity,
                !noProgress, parseSettings(settings), extra, null, data);
    }

    /** {@code method.key=value} or {@code key=value} (key for every method, stored under "*"). */
    static Map<String, Map<String, String>> parseSettings(List<String> settings) {
        Map<String, Map<String, String>> out = new HashMap<>();
        for (String s : settings) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set expects key=value or method.key=value, got '" + s + "'");
            }
            String key = s.substring(0, eq);
            String value = s.substring(eq + 1);
            int dot = key.indexOf('.');
            String method = dot > 0 ? key.substring(0, dot) : "*";
            out.computeIfAbsent(method, k -> new HashMap<>()).put(dot > 0 ? key.substring(dot + 1) : key, value);
        }
        return out;
    }
}

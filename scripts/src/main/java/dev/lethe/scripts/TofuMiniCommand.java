package dev.lethe.scripts;

import dev.lethe.scripts.tofu.EcoRunner;
import dev.lethe.scripts.tofu.MethodRunner;
import dev.lethe.scripts.tofu.UldRunner;
import dev.lethe.scripts.tofu.Preset;
import dev.lethe.scripts.tofu.SeedSweep;
import dev.lethe.scripts.tofu.TofuMini;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lethe tofu-mini}: the whole benchmark on the synthetic world. */
@Command(name = "tofu-mini", mixinStandardHelpOptions = true,
        description = "Generate the world, train base/target/oracle, run every unlearning method, evaluate, report.")
final class TofuMiniCommand implements Callable<Integer> {

    @Option(names = "--preset", description = "tiny | default (default ${DEFAULT-VALUE})")
    String preset = "default";

    @Option(names = "--split", description = "forget01 | forget05 | forget10 (default ${DEFAULT-VALUE})")
    String split = "forget10";

    @Option(names = "--methods", split = ",", description = "methods to run (default: all of the preset's)")
    List<String> methods;

    @Option(names = "--seed", description = "seed of model init, data order and unlearning (default ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--seeds", split = ",", description = "run every seed (sharing the world) and report mean ± 95 %% CI "
            + "per metric in table.md; replaces --seed")
    List<Long> seeds;

    @Option(names = "--out", description = "run directory (default runs/tofu-mini-<split>-<preset>-seed<N>, "
            + "or …-seeds<A>_<B>_… with --seeds)")
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

    @Override
    public Integer call() throws Exception {
        if (!List.of("forget01", "forget05", "forget10").contains(split)) {
            throw new IllegalArgumentException("--split must be forget01, forget05 or forget10, got '" + split + "'");
        }
        Preset p = Preset.named(preset);
        Map<String, MethodRunner> extra = new LinkedHashMap<>();
        extra.put("uld", new UldRunner());
        extra.put("eco", new EcoRunner());
        List<String> run = methods != null ? methods : p.methods();
        if (seeds != null && !seeds.isEmpty()) {
            Path dir = out != null ? out : Path.of("runs", "tofu-mini-" + split + "-" + preset + "-seeds"
                    + String.join("_", seeds.stream().map(String::valueOf).toList()));
            SeedSweep.Result r = new SeedSweep(new TofuMini.Options(p, split, run, seeds.get(0), dir, force, sanity,
                    !noProgress, parseSettings(settings), extra), seeds).run();
            System.out.println("wrote " + r.out().resolve("table.md") + " (mean ± 95% CI over seeds " + seeds
                    + "), table.csv, results.json, timings.json; per seed: " + SeedSweep.seedDir(r.out(), seeds.get(0))
                    .getFileName() + "/ …");
            return 0;
        }
        Path dir = out != null ? out : Path.of("runs", "tofu-mini-" + split + "-" + preset + "-seed" + seed);
        TofuMini.Result r = new TofuMini(new TofuMini.Options(p, split, run, seed,
                dir, force, sanity, !noProgress, parseSettings(settings), extra)).run();
        System.out.println("wrote " + r.out().resolve("table.md") + ", table.csv, results.json, timings.json, fq_vs_mu.png");
        return 0;
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

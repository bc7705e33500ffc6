package dev.lethe.scripts;

import dev.lethe.scripts.tofu.EcoRunner;
import dev.lethe.scripts.tofu.MethodRunner;
import dev.lethe.scripts.tofu.Preset;
import dev.lethe.scripts.tofu.TofuMini;
import dev.lethe.scripts.tofu.UldRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lethe tofu}: the tofu-mini pipeline on an existing TOFU-layout directory (the real TOFU files). */
@Command(name = "tofu", mixinStandardHelpOptions = true,
        description = "Train a small model from scratch on real TOFU files (BPE tokenizer built from them), "
                + "run the unlearning methods, evaluate, report — the tofu-mini table.")
final class TofuCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, description = "TOFU-layout directory (full.json, forget10.json, …)")
    Path data;

    @Option(names = "--preset", description = "tiny-real | tiny | default (default ${DEFAULT-VALUE})")
    String preset = "tiny-real";

    @Option(names = "--split", description = "forget01 | forget05 | forget10 (default ${DEFAULT-VALUE})")
    String split = "forget10";

    @Option(names = "--methods", split = ",", description = "methods to run (default: all of the preset's)")
    List<String> methods;

    @Option(names = "--seed", description = "seed of model init, data order and unlearning (default ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--out", description = "run directory (default runs/tofu-<split>-<preset>-seed<N>)")
    Path out;

    @Option(names = "--force", description = "redo every step even when its artefact is up to date")
    boolean force;

    @Option(names = "--sanity", description = "also train a second oracle (seed + 1000) and report FQ(oracle₂ vs oracle)")
    boolean sanity;

    @Option(names = "--set", description = "method setting, e.g. npo.beta=0.2 or lr=1e-3 (all methods); repeatable")
    List<String> settings = List.of();

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
        Path dir = out != null ? out : Path.of("runs", "tofu-" + split + "-" + preset + "-seed" + seed);
        TofuMini.Result r = new TofuMini(new TofuMini.Options(p, split, methods != null ? methods : p.methods(), seed,
                dir, force, sanity, !noProgress, TofuMiniCommand.parseSettings(settings), extra, null, data)).run();
        System.out.println("wrote " + r.out().resolve("table.md") + ", table.csv, results.json, timings.json, fq_vs_mu.png");
        return 0;
    }
}

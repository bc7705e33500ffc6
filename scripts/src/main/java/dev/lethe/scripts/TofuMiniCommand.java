package dev.lethe.scripts;

import dev.lethe.scripts.tofu.Preset;
import dev.lethe.scripts.tofu.SeedSweep;
import dev.lethe.scripts.tofu.TofuMini;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code lethe tofu-mini}: the whole benchmark on the synthetic world. */
@Command(name = "tofu-mini", mixinStandardHelpOptions = true,
        description = "Generate the world, train base/target/oracle, run every unlearning method, evaluate, report.")
final class TofuMiniCommand implements Callable<Integer> {

    @Option(names = "--preset", description = "tiny | default (default ${DEFAULT-VALUE})")
    String preset = "default";

    @Option(names = "--seeds", split = ",", description = "run every seed (sharing the world) and report mean ± 95 %% CI "
            + "per metric in table.md; replaces --seed")
    List<Long> seeds;

    @Mixin
    BenchmarkRunOptions run;

    @Override
    public Integer call() throws Exception {
        Preset p = Preset.named(preset);
        if (seeds != null && !seeds.isEmpty()) {
            Path dir = run.out != null ? run.out : Path.of("runs", "tofu-mini-" + run.split + "-" + preset + "-seeds"
                    + String.join("_", seeds.stream().map(String::valueOf).toList()));
            SeedSweep.Result r = new SeedSweep(run.options(p, seeds.get(0), dir, null), seeds).run();
            System.out.println("wrote " + r.out().resolve("table.md") + " (mean ± 95% CI over seeds " + seeds
                    + "), table.csv, results.json, timings.json; per seed: " + SeedSweep.seedDir(r.out(), seeds.get(0))
                    .getFileName() + "/ …");
            return 0;
        }
        Path dir = run.out != null ? run.out
                : Path.of("runs", "tofu-mini-" + run.split + "-" + preset + "-seed" + run.seed);
        TofuMini.Result r = new TofuMini(run.options(p, run.seed, dir, null)).run();
        System.out.println("wrote " + r.out().resolve("table.md") + ", table.csv, results.json, timings.json, fq_vs_mu.png");
        return 0;
    }
}

package dev.lethe.scripts;

import dev.lethe.scripts.tofu.Preset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code lethe tofu-mini}: the whole benchmark on the synthetic world. */
@Command(name = "tofu-mini", mixinStandardHelpOptions = true,
        description = "Generate the world, train base/target/oracle, run every unlearning method, evaluate, report.")
final class TofuMiniCommand implements Callable<Integer> {

    @Option(names = "--preset", description = "tiny | default (default ${DEFAULT-VALUE})")
    String preset = "default";

    @Mixin
    BenchmarkRunOptions run;

    @Override
    public Integer call() throws Exception {
        return run.runPipeline(Preset.named(preset), "tofu-mini-" + run.split + "-" + preset, null);
    }
}

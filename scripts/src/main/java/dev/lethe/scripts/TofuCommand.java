package dev.lethe.scripts;

import dev.lethe.scripts.tofu.Preset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
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

    @Mixin
    BenchmarkRunOptions run;

    @Override
    public Integer call() throws Exception {
        return run.runPipeline(Preset.named(preset), "tofu-" + run.split + "-" + preset, data);
    }
}

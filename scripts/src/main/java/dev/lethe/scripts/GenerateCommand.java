package dev.lethe.scripts;

import dev.lethe.datasets.synth.WorldSpec;
import dev.lethe.datasets.synth.WorldSummary;
import dev.lethe.datasets.synth.WorldWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code lethe generate}: writes the synthetic TOFU-style world. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write a synthetic TOFU-style world (TOFU layout, pretraining corpus, entities, IDK list, tokenizer.json).")
final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "output directory")
    Path out;

    @Option(names = "--authors", description = "fictitious authors in full (default ${DEFAULT-VALUE})")
    int authors = WorldSpec.DEFAULT_AUTHORS;

    @Option(names = "--seed", description = "seed (default ${DEFAULT-VALUE})")
    long seed = WorldSpec.DEFAULT_SEED;

    @Override
    public Integer call() throws Exception {
        WorldSummary s = WorldWriter.write(out, WorldSpec.of(authors, seed));
        System.out.println(s.toTable());
        return 0;
    }
}

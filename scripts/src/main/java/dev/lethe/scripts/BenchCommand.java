package dev.lethe.scripts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.scripts.bench.BenchShape;
import dev.lethe.scripts.bench.GenerateBench;
import dev.lethe.scripts.bench.ScoreBench;
import dev.lethe.scripts.bench.TrainBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lethe bench train|score|generate}: one JSON line per result. */
@Command(name = "bench", description = "Throughput benchmarks; prints one JSON line per result.")
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "train | score | generate | safetensors | unlearn")
    String what;

    @Mixin
    BenchShape shape;

    @Option(names = "--steps", description = "timed steps incl. 2 warm-up steps (default ${DEFAULT-VALUE})")
    int steps = 12;

    @Option(names = "--new-tokens", description = "generate: new tokens per prompt (default ${DEFAULT-VALUE})")
    int newTokens = 128;

    @Option(names = "--repeats", description = "generate: timed repeats after one warm-up (default ${DEFAULT-VALUE})")
    int repeats = 3;

    @Option(names = "--bytes", description = "safetensors: file size (default ${DEFAULT-VALUE} = 1 GiB)")
    long bytes = 1L << 30;

    @Option(names = "--preset", description = "unlearn: tofu-mini preset whose world, model and schedules are "
            + "timed (default ${DEFAULT-VALUE})")
    String preset = "default";

    @Option(names = "--split", description = "unlearn: forget split (default ${DEFAULT-VALUE})")
    String split = "forget10";

    @Option(names = "--methods", split = ",", description = "unlearn: methods to time (default ${DEFAULT-VALUE})")
    java.util.List<String> methods = java.util.List.of("npo", "uld");

    @Option(names = "--epochs", description = "unlearn: epochs per method, the first one warm-up (default "
            + "${DEFAULT-VALUE})")
    int epochs = 3;

    @Option(names = "--target", description = "unlearn: a trained target checkpoint (default: random weights of "
            + "the preset's shape; the cost of a step does not depend on them)")
    java.nio.file.Path target;

    @Option(names = "--set", description = "unlearn: method setting as in tofu-mini, e.g. uld.batch_size=32; "
            + "repeatable")
    java.util.List<String> settings = java.util.List.of();

    private Map<String, Object> safetensors() throws java.io.IOException {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("lethe-bench");
        try {
            Map<String, Object> r = new java.util.LinkedHashMap<>();
            r.put("bench", "safetensors");
            r.putAll(dev.lethe.core.io.SafetensorsBench.openBench(dir, bytes));
            return r;
        } finally {
            dev.lethe.core.util.AtomicFiles.deleteRecursively(dir);
        }
    }

    @Override
    public Integer call() throws Exception {
        Map<String, Object> result = switch (what) {
            case "train" -> TrainBench.run(shape, steps);
            case "score" -> ScoreBench.run(shape, steps);
            case "generate" -> GenerateBench.run(shape, newTokens, repeats);
            case "safetensors" -> safetensors();
            case "unlearn" -> dev.lethe.scripts.bench.UnlearnEpochBench.run(preset, split, methods, epochs,
                    shape.seed(), target, BenchmarkRunOptions.parseSettings(settings));
            default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "unknown benchmark '" + what + "' (expected train, score, generate, safetensors or unlearn)");
        };
        System.out.println(new ObjectMapper().writeValueAsString(result));
        return 0;
    }
}

package dev.lethe.scripts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.scripts.bench.BenchShape;
import dev.lethe.scripts.bench.GenerateBench;
import dev.lethe.scripts.bench.ScoreBench;
import dev.lethe.scripts.bench.TrainBench;
import dev.lethe.scripts.bench.UncompBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lethe bench train|score|generate|safetensors|uncomp}: one JSON line per result. */
@Command(name = "bench", description = "Throughput benchmarks; prints one JSON line per result.")
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "train | score | generate | safetensors | uncomp")
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

    @Option(names = "--kv-budget", description = "uncomp: nominal per-head capacity C as a fraction of the prompt "
            + "(default ${DEFAULT-VALUE})")
    double kvBudget = 0.25;

    @Option(names = "--equal-memory", description = "uncomp: group budgets (4C/3, 2C/3), mean exactly C, instead of "
            + "the reference (3C/2, 3C/4)")
    boolean equalMemory;

    @Option(names = "--kv-policies", split = ",", description = "uncomp: policies to time, full and/or uncomp "
            + "(default: both; one per process gives clean peak RSS)")
    List<String> kvPolicies = List.of("full", "uncomp");

    @Option(names = "--calibration", description = "uncomp: prompts calibrating the head groups (default ${DEFAULT-VALUE})")
    int calibration = 16;

    @Option(names = "--model", description = "uncomp: a trained checkpoint for the forget/retain ROUGE part")
    Path model;

    @Option(names = "--data", description = "uncomp: the model's TOFU-layout world (default: world/ next to --model)")
    Path data;

    @Option(names = "--split", description = "uncomp: forget split of the quality part (default ${DEFAULT-VALUE})")
    String split = "forget10";

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
            case "uncomp" -> UncompBench.run(shape, newTokens, repeats, new UncompBench.Options(kvBudget, equalMemory,
                    kvPolicies, calibration, model, data, split));
            default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "unknown benchmark '" + what + "' (expected train, score, generate, safetensors or uncomp)");
        };
        System.out.println(new ObjectMapper().writeValueAsString(result));
        return 0;
    }
}

package dev.lethe.scripts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.scripts.bench.BenchShape;
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

    @Parameters(index = "0", description = "train | score | generate")
    String what;

    @Mixin
    BenchShape shape;

    @Option(names = "--steps", description = "timed steps incl. 2 warm-up steps (default ${DEFAULT-VALUE})")
    int steps = 12;

    @Option(names = "--new-tokens", description = "generate: new tokens per prompt (default ${DEFAULT-VALUE})")
    int newTokens = 128;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> result = switch (what) {
            case "train" -> TrainBench.run(shape, steps);
            default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "unknown benchmark '" + what + "' (expected train, score or generate)");
        };
        System.out.println(new ObjectMapper().writeValueAsString(result));
        return 0;
    }
}

package dev.lethe.scripts;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.scripts.bench.BenchShape;
import dev.lethe.scripts.bench.GenerateBench;
import dev.lethe.scripts.bench.LambdaBench;
import dev.lethe.scripts.bench.ScoreBench;
import dev.lethe.scripts.bench.TrainBench;
import dev.lethe.scripts.bench.UncompBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lethe bench train|score|generate|safetensors|lambda|uncomp|unlearn}: one JSON line per result. */
@Command(name = "bench", description = {"Throughput benchmarks; prints one JSON line per result.",
        "lambda: LM-Infinite length generalisation (trains a tiny model: 2 layers, dim 64, ffn 176, batch 16 unless"
                + " the shape options say otherwise)."})
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "train | score | generate | safetensors | lambda | uncomp | unlearn")
    String what;

    @Mixin
    BenchShape shape;

    @Option(names = "--steps", description = "timed steps incl. 2 warm-up steps (default ${DEFAULT-VALUE})")
    int steps = 12;

    @Option(names = "--new-tokens",
            description = "generate, lambda: new tokens per prompt (default ${DEFAULT-VALUE}; lambda 64)")
    int newTokens = 128;

    @Option(names = "--repeats", description = "generate: timed repeats after one warm-up (default ${DEFAULT-VALUE})")
    int repeats = 3;

    @Option(names = "--bytes", description = "safetensors: file size (default ${DEFAULT-VALUE} = 1 GiB)")
    long bytes = 1L << 30;

    @Option(names = "--preset", description = "unlearn: tofu-mini preset whose world, model and schedules are "
            + "timed (default ${DEFAULT-VALUE})")
    String preset = "default";

    @Option(names = "--split", description = "unlearn, uncomp: forget split (default ${DEFAULT-VALUE})")
    String split = "forget10";

    @Option(names = "--methods", split = ",", description = "unlearn: methods to time (default ${DEFAULT-VALUE})")
    List<String> methods = List.of("npo", "uld");

    @Option(names = "--epochs", description = "unlearn: epochs per method, the first one warm-up (default "
            + "${DEFAULT-VALUE})")
    int epochs = 3;

    @Option(names = "--target", description = "unlearn: a trained target checkpoint (default: random weights of "
            + "the preset's shape; the cost of a step does not depend on them)")
    Path target;

    @Option(names = "--set", description = "unlearn: method setting as in tofu-mini, e.g. uld.batch_size=32; "
            + "repeatable")
    List<String> settings = List.of();

    @Option(names = "--length", description = "lambda: trained length L = n_local = d (default ${DEFAULT-VALUE})")
    int length = 64;

    @Option(names = "--global", description = "lambda: Λ starting tokens n_global (default ${DEFAULT-VALUE})")
    int nGlobal = 8;

    @Option(names = "--train-steps", description = "lambda: training steps at length L (default ${DEFAULT-VALUE})")
    int trainSteps = 800;

    @Option(names = "--lr", description = "lambda: peak learning rate (default ${DEFAULT-VALUE})")
    double learningRate = 3e-3;

    @Option(names = "--ppl-factors", split = ",",
            description = "lambda: perplexity at these multiples of L (default 1,2,4)")
    int[] pplFactors = {1, 2, 4};

    @Option(names = "--eval-windows",
            description = "lambda: held-out windows per length, at most (default ${DEFAULT-VALUE})")
    int evalWindows = 16;

    @Option(names = "--gen-factors", split = ",",
            description = "lambda: generation prompt lengths as multiples of L (default 1,2,4; 0 skips)")
    int[] genFactors = {1, 2, 4};

    @Spec
    CommandSpec spec;

    /** The lambda bench trains a model: tiny unless the shape options are given explicitly. */
    private LambdaBench.Settings lambdaSettings() {
        int[] gen = java.util.Arrays.stream(genFactors).filter(f -> f != 0).toArray();
        return new LambdaBench.Settings(length, nGlobal, trainSteps, learningRate,
                given("--batch") ? shape.batch() : 16, pplFactors, evalWindows, gen, given("--new-tokens") ? newTokens : 64,
                given("--layers") ? shape.layers() : 2, given("--dim") ? shape.dim() : 64,
                given("--heads") ? shape.heads() : 4, given("--kv-heads") ? shape.kvHeads() : 4,
                given("--ffn") ? shape.ffn() : 176, shape.seed());
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

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

    private Map<String, Object> safetensors() throws java.io.IOException {
        Path dir = java.nio.file.Files.createTempDirectory("lethe-bench");
        try {
            Map<String, Object> r = new java.util.LinkedHashMap<>();
            r.put("bench", "safetensors");
            r.putAll(dev.lethe.core.io.SafetensorsBench.openBench(dir, bytes));
            return r;
        } finally {
            dev.lethe.core.util.AtomicFiles.deleteRecursively(dir);
        }
    }

    @Option(names = "--profile", description = "write libtorch's profiler trace of the whole run (Chrome trace "
            + "JSON: open in chrome://tracing or Perfetto) to this file")
    Path profile;

    @Override
    public Integer call() throws Exception {
        if (profile != null) {
            ai.djl.engine.Engine.getInstance(); // loads libtorch before its profiler is called
            ai.djl.pytorch.jni.JniUtils.startProfile(false, true, false);
        }
        Map<String, Object> result;
        try {
            result = measure();
        } finally {
            if (profile != null) {
                // libtorch writes the trace itself: into a temporary file beside the target, then renamed
                Path target = profile.toAbsolutePath();
                Path tmp = java.nio.file.Files.createTempFile(target.getParent(), ".profile", ".json");
                ai.djl.pytorch.jni.JniUtils.stopProfile(tmp.toString());
                java.nio.file.Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
        }
        System.out.println(new ObjectMapper().writeValueAsString(result));
        return 0;
    }

    private Map<String, Object> measure() throws Exception {
        return switch (what) {
            case "train" -> TrainBench.run(shape, steps);
            case "score" -> ScoreBench.run(shape, steps);
            case "generate" -> GenerateBench.run(shape, newTokens, repeats);
            case "safetensors" -> safetensors();
            case "unlearn" -> dev.lethe.scripts.bench.UnlearnEpochBench.run(preset, split, methods, epochs,
                    shape.seed(), target, BenchmarkRunOptions.parseSettings(settings));
            case "lambda" -> LambdaBench.run(lambdaSettings());
            case "uncomp" -> UncompBench.run(shape, newTokens, repeats, new UncompBench.Options(kvBudget, equalMemory,
                    kvPolicies, calibration, model, data, split));
            default -> throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "unknown benchmark '" + what + "' (expected train, score, generate, safetensors, lambda, uncomp "
                            + "or unlearn)");
        };
    }
}

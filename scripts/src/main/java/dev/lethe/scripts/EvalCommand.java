package dev.lethe.scripts;

import ai.djl.ndarray.NDManager;
import dev.lethe.datasets.tofu.TofuBenchmark;
import dev.lethe.eval.EvalOptions;
import dev.lethe.eval.EvalRun;
import dev.lethe.eval.TofuEvaluator;
import dev.lethe.eval.metrics.engine.MetricResult;
import dev.lethe.scripts.tofu.ModelDirs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code lethe eval}: TOFU evaluation of a checkpoint, a ULD result or an ECO result. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a model (HF checkpoint, ULD or ECO directory) on a TOFU-layout data set.")
final class EvalCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "model directory")
    Path model;

    @Option(names = "--data", required = true, description = "TOFU-layout directory (real TOFU or a generated world)")
    Path data;

    @Option(names = "--split", description = "forget01 | forget05 | forget10 (default ${DEFAULT-VALUE})")
    String split = "forget10";

    @Option(names = "--template", description = "qa | llama2 | llama3 | plain (default ${DEFAULT-VALUE})")
    String template = "qa";

    @Option(names = "--retain-logs", description = "the retain model's TOFU_EVAL.json (enables forget quality)")
    Path retainLogs;

    @Option(names = "--batch", description = "scoring batch size (default ${DEFAULT-VALUE})")
    int batch = 32;

    @Option(names = "--max-new-tokens", description = "greedy generation budget (default ${DEFAULT-VALUE})")
    int maxNewTokens = 200;

    @Option(names = "--out", required = true, description = "output directory for TOFU_EVAL.json and SUMMARY.json")
    Path out;

    @Override
    public Integer call() throws Exception {
        TofuBenchmark bench = TofuBenchmark.load(data);
        try (NDManager root = NDManager.newBaseManager(); ModelDirs.Opened m = ModelDirs.open(model, root)) {
            EvalOptions.Builder b = EvalOptions.builder().optTemplate(template).optBatchSize(batch)
                    .optMaxNewTokens(maxNewTokens).optOutDir(out);
            if (retainLogs != null) {
                b.optRetainLog(retainLogs);
            }
            EvalRun run = TofuEvaluator.run(m.model(), m.tokenizer(), bench, split, b.build());
            Map<String, Double> agg = new TreeMap<>();
            for (Map.Entry<String, MetricResult> e : run.log().metrics().entrySet()) {
                agg.put(e.getKey(), e.getValue().aggValue());
            }
            agg.forEach((k, v) -> System.out.printf("%-28s %s%n", k, v));
            System.out.printf("evaluated %s model %s in %.1f s → %s%n", m.kind(), m.dir(), run.wallSeconds(), out);
        }
        return 0;
    }
}

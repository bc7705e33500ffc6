package dev.lethe.scripts;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.io.HfCheckpoint;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.text.LetheTokenizer;
import dev.lethe.core.util.AtomicFiles;
import dev.lethe.core.util.Provenance;
import dev.lethe.datasets.tofu.TofuBenchmark;
import dev.lethe.eval.logs.EvalLogJson;
import dev.lethe.eval.metrics.engine.EvalLog;
import dev.lethe.scripts.tofu.BaselineRunner;
import dev.lethe.scripts.tofu.EcoRunner;
import dev.lethe.scripts.tofu.MethodRunner;
import dev.lethe.scripts.tofu.PipelineContext;
import dev.lethe.scripts.tofu.Preset;
import dev.lethe.scripts.tofu.UldRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code lethe unlearn}: one unlearning method on one model. */
@Command(name = "unlearn", mixinStandardHelpOptions = true,
        description = "Unlearn a forget split from a model with one method; writes a directory `lethe eval` loads.")
final class UnlearnCommand implements Callable<Integer> {

    @Option(names = "--method", required = true,
            description = "ga, graddiff, kl, idkdpo, npo, simnpo, rmu, undial, uld or eco")
    String method;

    @Option(names = "--model", required = true, description = "the target: an HF checkpoint directory")
    Path model;

    @Option(names = "--data", required = true, description = "TOFU-layout directory")
    Path data;

    @Option(names = "--split", description = "forget01 | forget05 | forget10 (default ${DEFAULT-VALUE})")
    String split = "forget10";

    @Option(names = "--preset", description = "small-model schedule to start from: tiny | default (default ${DEFAULT-VALUE})")
    String preset = "default";

    @Option(names = "--retain-logs", description = "the retain model's TOFU_EVAL.json (ECO tunes against it)")
    Path retainLogs;

    @Option(names = "--seed", description = "seed (default ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--set", description = "setting, e.g. beta=0.2; repeatable")
    List<String> settings = List.of();

    @Option(names = "--out", required = true, description = "output directory")
    Path out;

    @Override
    public Integer call() throws Exception {
        MethodRunner runner = switch (method) {
            case "uld" -> new UldRunner();
            case "eco" -> new EcoRunner();
            default -> new BaselineRunner(method);
        };
        Map<String, Map<String, String>> overrides = BenchmarkRunOptions.parseSettings(
                settings.stream().map(s -> s.startsWith(method + ".") ? s : method + "." + s).toList());
        TofuBenchmark bench = TofuBenchmark.load(data);
        EvalLog oracle = retainLogs == null ? null : EvalLogJson.read(retainLogs);
        try (NDManager root = NDManager.newBaseManager(); Decoder target = HfCheckpoint.load(model, root);
             LetheTokenizer tok = LetheTokenizer.load(model.resolve(HfCheckpoint.TOKENIZER))) {
            PipelineContext ctx = new PipelineContext(Preset.named(preset), split, seed, data, bench, tok, target, model,
                    oracle, root, overrides, true);
            Provenance p = Provenance.of("unlearn:" + method, runner.describe(ctx), seed,
                    Map.of("target", Provenance.sha256(model.resolve(HfCheckpoint.WEIGHTS))));
            AtomicFiles.deleteRecursively(out);
            Files.createDirectories(out);
            long t0 = System.nanoTime();
            runner.run(ctx, out).close();
            p.withTiming("unlearn_s", (System.nanoTime() - t0) / 1e9).write(out);
        }
        System.out.println("wrote " + out);
        return 0;
    }
}

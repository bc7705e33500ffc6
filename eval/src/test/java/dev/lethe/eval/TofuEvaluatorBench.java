package dev.lethe.eval;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.text.LetheTokenizer;
import dev.lethe.datasets.synth.WorldSpec;
import dev.lethe.datasets.synth.WorldWriter;
import dev.lethe.datasets.tofu.TofuBenchmark;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timing of a full-suite evaluation (200 new tokens) on a random decoder; prints one line per shape.
 * Tagged slow (excluded by default): {@code mvn -o test -pl eval -am -Dtest=TofuEvaluatorBench
 * -Dlethe.test.groups.excluded=none -Dsurefire.failIfNoSpecifiedTests=false
 * [-Dbench.authors=10] [-Dbench.dims=32,128] [-Dbench.split=forget10]}.
 */
@Tag("slow")
class TofuEvaluatorBench {

    @TempDir
    Path tmp;

    /** CPU time of the whole process, native PyTorch threads included. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    @Test
    void timeFullSuite() throws Exception {
        int authors = Integer.getInteger("bench.authors", 10);
        String split = System.getProperty("bench.split", "forget10");
        Path world = tmp.resolve("world");
        WorldWriter.write(world, WorldSpec.of(authors, 5));
        TofuBenchmark bench = TofuBenchmark.load(world);
        for (String d : System.getProperty("bench.dims", "32").split(",")) {
            int dim = Integer.parseInt(d.trim());
            try (LetheTokenizer tok = LetheTokenizer.load(world); NDManager m = NDManager.newBaseManager()) {
                DecoderConfig cfg = DecoderConfig.llama(tok.vocabSize(), dim, dim * 4, dim >= 128 ? 4 : 2, 4, 2, 512)
                        .withTokens(tok.vocabSize(), tok.bosId(), tok.eosId(), tok.padId());
                Decoder model = Decoder.random(cfg, m, 1);
                List<List<String>> lists = System.getProperty("bench.metrics") == null
                        ? List.of(EvalOptions.TOFU_SUITE, List.of("mia_gradnorm"))
                        : List.of(List.of(System.getProperty("bench.metrics").split(",")));
                for (List<String> metrics : lists) {
                    long cpu0 = cpuNanos();
                    EvalRun run = TofuEvaluator.run(model, tok, bench, split,
                            EvalOptions.builder().optMetrics(metrics).build());
                    double cpu = (cpuNanos() - cpu0) / 1e9;
                    System.out.printf("BENCH authors=%d split=%s vocab=%d d=%d layers=%d metrics=%s targets=%d generations=%d process_cpu_s=%.1f %s%n",
                            authors, split, tok.vocabSize(), dim, cfg.numHiddenLayers(),
                            metrics.equals(EvalOptions.TOFU_SUITE) ? "suite" : String.join("+", metrics), run.scoredTargets(), run.generations(),
                            cpu, run.timings());
                }
            }
        }
    }
}

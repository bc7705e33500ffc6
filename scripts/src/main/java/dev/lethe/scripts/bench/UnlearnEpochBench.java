package dev.lethe.scripts.bench;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.io.HfCheckpoint;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.text.LetheTokenizer;
import dev.lethe.core.train.TrainResult;
import dev.lethe.core.unlearn.MethodConfig;
import dev.lethe.core.unlearn.MethodRegistry;
import dev.lethe.core.unlearn.UnlearningMethod;
import dev.lethe.core.unlearn.UnlearningResult;
import dev.lethe.core.unlearn.Unlearner;
import dev.lethe.core.util.AtomicFiles;
import dev.lethe.datasets.synth.WorldSpec;
import dev.lethe.datasets.synth.WorldWriter;
import dev.lethe.datasets.tofu.TofuBenchmark;
import dev.lethe.scripts.tofu.BaselineRunner;
import dev.lethe.scripts.tofu.PipelineContext;
import dev.lethe.scripts.tofu.Preset;
import dev.lethe.scripts.tofu.UldRunner;
import dev.lethe.uld.Uld;
import dev.lethe.uld.UldConfig;
import dev.lethe.uld.UldResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wall time per unlearning epoch of each method on one tofu-mini split (ULD's issue asks for ≤ ⅓ of NPO's).
 * Each method runs with exactly the settings tofu-mini gives it (the preset's schedule), except the epoch
 * count; an epoch is that method's own pass over its data — for the baselines one pass over the forget set
 * (paired with as many retain rows), for ULD one pass over D'_f ∪ D'_r — and the sizes are reported beside
 * the times. The first epoch carries JIT and allocator warm-up, so the reported figure is the median of the
 * later ones. Weights do not change the cost of a step, so the target may be random ({@code --target} loads
 * a trained one instead).
 */
public final class UnlearnEpochBench {
    private UnlearnEpochBench() {}

    public static Map<String, Object> run(String presetName, String split, List<String> methods, int epochs,
                                          long seed, Path targetDir, Map<String, Map<String, String>> settings)
            throws IOException {
        if (epochs < 2) {
            throw new IllegalArgumentException("--epochs must be ≥ 2: the first epoch is warm-up");
        }
        Preset preset = Preset.named(presetName);
        Path world = Files.createTempDirectory("lethe-bench-world");
        try (NDManager root = NDManager.newBaseManager()) {
            WorldWriter.write(world, WorldSpec.of(preset.authors(), preset.worldSeed()));
            TofuBenchmark bench = TofuBenchmark.load(world);
            try (LetheTokenizer tok = LetheTokenizer.load(world.resolve(WorldWriter.TOKENIZER_FILE));
                 Decoder target = targetDir != null ? HfCheckpoint.load(targetDir, root)
                         : Decoder.random(preset.config(tok), root, seed)) {
                Map<String, Map<String, String>> overrides = new java.util.HashMap<>();
                settings.forEach((k, v) -> overrides.put(k, new java.util.HashMap<>(v)));
                for (String m : List.of("*", Uld.NAME)) {
                    overrides.computeIfAbsent(m, k -> new java.util.HashMap<>()).put("epochs", Integer.toString(epochs));
                }
                PipelineContext ctx = new PipelineContext(preset, split, seed, world, bench, tok, target, targetDir,
                        null, root, overrides, false);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("bench", "unlearn");
                out.put("preset", presetName);
                out.put("split", split);
                out.put("model", preset.describe().get("model"));
                out.put("target", targetDir != null ? targetDir.toString() : "random init");
                out.put("epochs", epochs);
                out.put("settings", settings);
                Map<String, Object> per = new LinkedHashMap<>();
                for (String m : methods) {
                    if (m.equals(Uld.NAME)) {
                        per.put(m, uld(ctx, epochs, false));
                        per.put(SAME_DATA, uld(ctx, epochs, true));
                    } else {
                        per.put(m, baseline(ctx, m, epochs));
                    }
                }
                out.put("methods", per);
                if (per.containsKey(Uld.NAME) && per.containsKey("npo")) {
                    double n = (double) ((Map<?, ?>) per.get("npo")).get("epoch_s_median");
                    for (String u : List.of(Uld.NAME, SAME_DATA)) {
                        double t = (double) ((Map<?, ?>) per.get(u)).get("epoch_s_median");
                        out.put(u + "_over_npo_epoch", TrainBench.round(t / n, 3));
                    }
                }
                out.put("peak_rss_mb", Rss.peakMb());
                return out;
            }
        } finally {
            AtomicFiles.deleteRecursively(world);
        }
    }

    private static Map<String, Object> baseline(PipelineContext ctx, String name, int epochs) {
        UnlearningMethod method = MethodRegistry.get(name);
        MethodConfig cfg = new BaselineRunner(name).config(ctx);
        var data = BaselineRunner.data(ctx, method.needsAlternatives());
        try (UnlearningResult r = new Unlearner().optProgress(false).optParentManager(ctx.manager())
                .run(method, ctx.target(), data, cfg)) {
            Map<String, Object> out = epochTimes(r.training(), epochs);
            out.put("forget_rows", data.forget().size());
            out.put("batch_size", cfg.batchSize());
            return out;
        }
    }

    /**
     * ULD without its augmentation: D'_f = the forget rows, D'_r = as many retain rows (the last ones of the
     * split; NPO draws its own) — as many rows of the same kind as an NPO epoch reads, so the two times compare
     * the methods' cost on the same data.
     */
    static final String SAME_DATA = "uld_on_npo_data";

    private static Map<String, Object> uld(PipelineContext ctx, int epochs, boolean sameData) throws IOException {
        UldConfig cfg = new UldRunner().config(ctx);
        if (sameData) {
            cfg = cfg.toBuilder().optExpandQaNum(0).optPerturbedPerQuestion(0)
                    .optRegularRetainCap(Integer.MAX_VALUE).build();
        }
        try (UldResult r = Uld.unlearn(ctx.target(), ctx.bench(), ctx.forgetPercent(), ctx.encoder(), cfg)) {
            Map<String, Object> out = epochTimes(r.training(), epochs);
            int sequences = r.dataCounts().values().stream().mapToInt(Integer::intValue).sum();
            out.put("sequences_per_epoch", sequences);
            out.put("assistant_layers", cfg.assistantLayersFor(ctx.target().config().numHiddenLayers()));
            out.put("batch_size", cfg.batchSize());
            return out;
        }
    }

    /** Splits the run's step times into its epochs (each the same number of optimizer steps). */
    static Map<String, Object> epochTimes(TrainResult r, int epochs) {
        if (!r.completed()) {
            throw new IllegalStateException("training stopped early: " + r.message());
        }
        List<Double> steps = r.stepSeconds();
        if (steps.size() % epochs != 0) {
            throw new IllegalStateException(steps.size() + " steps do not split into " + epochs + " epochs");
        }
        int per = steps.size() / epochs;
        List<Double> epochS = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            epochS.add(steps.subList(e * per, (e + 1) * per).stream().mapToDouble(Double::doubleValue).sum());
        }
        List<Double> later = new ArrayList<>(epochS.subList(1, epochs));
        later.sort(null);
        int n = later.size();
        double median = n % 2 == 1 ? later.get(n / 2) : (later.get(n / 2 - 1) + later.get(n / 2)) / 2;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("epoch_s_median", TrainBench.round(median, 3));
        out.put("epoch_s", epochS.stream().map(v -> TrainBench.round(v, 3)).toList());
        out.put("steps_per_epoch", per);
        out.put("tokens_per_epoch", r.tokens() / epochs);
        return out;
    }
}

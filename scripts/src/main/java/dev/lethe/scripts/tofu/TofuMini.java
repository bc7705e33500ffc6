package dev.lethe.scripts.tofu;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.core.io.HfCheckpoint;
import dev.lethe.core.lm.LanguageModel;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.text.LetheTokenizer;
import dev.lethe.core.text.QaEncoder;
import dev.lethe.core.text.QaEncoding;
import dev.lethe.core.train.TrainResult;
import dev.lethe.core.util.AtomicFiles;
import dev.lethe.core.util.Provenance;
import dev.lethe.datasets.synth.WorldSpec;
import dev.lethe.datasets.synth.WorldWriter;
import dev.lethe.datasets.tofu.QaItem;
import dev.lethe.datasets.tofu.TofuBenchmark;
import dev.lethe.datasets.tofu.TofuSplits;
import dev.lethe.eval.EvalOptions;
import dev.lethe.eval.EvalRun;
import dev.lethe.eval.TofuEvaluator;
import dev.lethe.eval.logs.EvalLogJson;
import dev.lethe.eval.metrics.engine.EvalLog;
import dev.lethe.eval.report.FqVsMuPlot;
import dev.lethe.eval.report.ResultRow;
import dev.lethe.eval.report.ResultsTable;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The main job, top to bottom:
 * <pre>
 * world → tokenizer → base (pretrained on the world corpus)   [world: synthetic, or the real TOFU files + BPE]
 *       → target = base finetuned on full;  oracle = base finetuned on the retain split (same recipe)
 *       → evaluate oracle, then target against the oracle's log
 *       → each unlearning method on the target → evaluate against the oracle's log
 *       → (oracle, target, each method) in-context relearning attack, H0/H1/H7 ({@link IclStage})
 *       → table.md, table.csv, results.json, fq_vs_mu.png, timings.json
 * </pre>
 * Every step writes its artefact with a {@code lethe.json} and is skipped when that artefact already exists
 * with the same provenance; {@code force} redoes everything.
 *
 * <p>{@code results.json} holds only what the seed determines, so two runs with the same seed (and the same
 * code and thread count) write byte-identical files; wall-clock times go to {@code timings.json} beside it
 * (and to the wall_s column of the tables, which are for people).
 */
public final class TofuMini {

    /**
     * What to run.
     *
     * @param worldDir where the synthetic world lives, or null for {@code out/world}; several seeds of one
     *     experiment share one world (it depends on the preset's world seed only)
     * @param data an existing TOFU-layout directory (the real TOFU files) to use instead of a synthetic world,
     *     or null; it is prepared into the world directory by {@link TofuData}
     */
    public record Options(Preset preset, String split, List<String> methods, long seed, Path out, boolean force,
                          boolean sanity, boolean progress, Map<String, Map<String, String>> overrides,
                          Map<String, MethodRunner> extraRunners, Path worldDir, Path data) {

        /** Options over a synthetic world in {@code worldDir}. */
        public Options(Preset preset, String split, List<String> methods, long seed, Path out, boolean force,
                       boolean sanity, boolean progress, Map<String, Map<String, String>> overrides,
                       Map<String, MethodRunner> extraRunners, Path worldDir) {
            this(preset, split, methods, seed, out, force, sanity, progress, overrides, extraRunners, worldDir, null);
        }

        /** Options with the world inside the run directory. */
        public Options(Preset preset, String split, List<String> methods, long seed, Path out, boolean force,
                       boolean sanity, boolean progress, Map<String, Map<String, String>> overrides,
                       Map<String, MethodRunner> extraRunners) {
            this(preset, split, methods, seed, out, force, sanity, progress, overrides, extraRunners, null);
        }
    }

    /** {@code results.json}: the seed-determined outcome. */
    public static final String RESULTS_FILE = "results.json";
    /** {@code timings.json}: wall-clock seconds per method and per step, kept out of results.json. */
    public static final String TIMINGS_FILE = "timings.json";

    /** The outcome: table rows (target and oracle first) and the sanity figures. */
    public record Result(List<ResultRow> rows, Map<String, Object> sanity, Path out) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final Options o;

    public TofuMini(Options options) {
        this.o = options;
    }

    public Result run() throws IOException {
        Path out = o.out();
        Files.createDirectories(out);
        Preset p = o.preset();
        int pct = TofuSplits.forgetPercent(o.split());

        Path worldDir = o.worldDir() != null ? o.worldDir() : out.resolve("world");
        Path world = o.data() != null ? TofuData.prepare(o.data(), worldDir, TofuData.VOCAB_SIZE, o.force())
                : world(worldDir);
        String worldHash = Provenance.sha256(world);
        TofuBenchmark bench = TofuBenchmark.load(world);
        List<ResultRow> rows = new ArrayList<>();
        Map<String, Object> sanity = new LinkedHashMap<>();
        IclStage icl = IclStage.create(p, bench, pct, o.seed(), out, worldHash, o.force());
        try (NDManager root = NDManager.newBaseManager();
             LetheTokenizer tok = LetheTokenizer.load(world.resolve(WorldWriter.TOKENIZER_FILE))) {
            QaEncoder enc = QaEncoder.of(tok, dev.lethe.core.text.ChatTemplate.QA);

            Provenance baseProv = Provenance.of("pretrain", p.describe(), o.seed(), Map.of("world", worldHash));
            Path base = out.resolve("base");
            if (!Stage.upToDate(base, baseProv, o.force())) {
                Stage.log("pretraining the base model on the world corpus");
                long t0 = System.nanoTime();
                try (Decoder m = Decoder.random(p.config(tok), root, o.seed())) {
                    List<String> docs = Files.readAllLines(world.resolve(WorldWriter.PRETRAIN_FILE));
                    List<QaEncoding> examples = Recipes.concat(Recipes.documents(enc, docs),
                            Recipes.qa(enc, Recipes.worldKnowledge(bench)));
                    TrainResult r = Recipes.train(m, examples, p.pretrain(), o.seed(),
                            tok.padId(), "pretrain", o.progress(), null);
                    HfCheckpoint.save(m, tok, baseProv.withTiming("train_s", Stage.seconds(t0))
                            .withTiming("final_loss", r.finalLoss()), base);
                }
            }

            List<QaItem> knowledge = Recipes.worldKnowledge(bench);
            Path target = finetune(out.resolve("target"), base, baseProv, Recipes.concat(bench.full(), knowledge),
                    "full+world_knowledge", o.seed(), enc, tok, root);
            String retainName = "retain" + (100 - pct);
            Path oracle = finetune(out.resolve("oracle"), base, baseProv,
                    Recipes.concat(bench.retainForForget(pct), knowledge), retainName + "+world_knowledge", o.seed(),
                    enc, tok, root);

            EvalLog oracleLog;
            try (Decoder m = HfCheckpoint.load(oracle, root)) {
                oracleLog = evaluate(out.resolve("eval").resolve("oracle"), m, oracle, null, tok, bench);
                if (icl != null) {
                    icl.score("oracle", m, oracle, tok);
                }
            }
            rows.add(row("oracle", oracleLog, null));
            Decoder targetModel = HfCheckpoint.load(target, root);
            try {
                EvalLog targetLog = evaluate(out.resolve("eval").resolve("target"), targetModel, target, oracleLog,
                        tok, bench);
                rows.add(row("target", targetLog, null));
                if (icl != null) {
                    icl.score("target", targetModel, target, tok);
                }

                PipelineContext ctx = new PipelineContext(p, o.split(), o.seed(), world, bench, tok, targetModel, target,
                        oracleLog, root, o.overrides(), o.progress());
                for (String name : o.methods()) {
                    MethodRunner runner = o.extraRunners().containsKey(name) ? o.extraRunners().get(name)
                            : new BaselineRunner(name);
                    rows.add(unlearnAndEvaluate(runner, ctx, out, tok, bench, oracleLog, icl));
                }
                sanity.put("target_forget_rouge", targetLog.require("forget_Q_A_ROUGE").aggValue());
                sanity.put("oracle_forget_rouge", oracleLog.require("forget_Q_A_ROUGE").aggValue());
                sanity.put("target_forget_quality", targetLog.require("forget_quality").aggValue());
            } finally {
                targetModel.close();
            }
            if (o.sanity()) {
                long seed2 = o.seed() + 1000;
                Path oracle2 = finetune(out.resolve("sanity").resolve("oracle-seed" + seed2), base, baseProv,
                        Recipes.concat(bench.retainForForget(pct), knowledge), retainName + "+world_knowledge", seed2,
                        enc, tok, root);
                try (Decoder m = HfCheckpoint.load(oracle2, root)) {
                    EvalLog log2 = evaluate(out.resolve("sanity").resolve("eval-oracle-seed" + seed2), m, oracle2,
                            oracleLog, tok, bench);
                    rows.add(row("oracle(seed " + seed2 + ")", log2, null));
                    sanity.put("second_oracle_forget_quality", log2.require("forget_quality").aggValue());
                }
            }
        }
        sanity.putAll(checks(sanity));
        if (icl != null) {
            rows.replaceAll(icl::annotate);
            icl.writeReports();
        }
        report(out, rows, sanity, worldHash, icl);
        return new Result(rows, sanity, out);
    }

    private Path world(Path dir) throws IOException {
        WorldSpec spec = WorldSpec.of(o.preset().authors(), o.preset().worldSeed());
        // format 2: worlds carry uld_augment.json (a format-1 world would be reused without it)
        Provenance prov = Provenance.of("world", Map.of("authors", Integer.toString(spec.authors()), "format", "2"),
                spec.seed(), Map.of());
        if (!Stage.upToDate(dir, prov, o.force())) {
            Stage.log("writing the synthetic world (" + spec.authors() + " authors)");
            WorldWriter.write(dir, spec);
            prov.write(dir);
        }
        return dir;
    }

    private Path finetune(Path dir, Path base, Provenance baseProv, List<QaItem> items, String data, long seed,
                          QaEncoder enc, LetheTokenizer tok, NDManager root) throws IOException {
        Map<String, String> cfg = new TreeMap<>(o.preset().finetune().describe("finetune"));
        cfg.put("data", data);
        Provenance prov = Provenance.of("finetune", cfg, seed, Map.of("base", baseProv.fingerprint()));
        if (!Stage.upToDate(dir, prov, o.force())) {
            Stage.log("finetuning " + dir.getFileName() + " on " + data + " (" + items.size() + " items)");
            long t0 = System.nanoTime();
            try (Decoder m = HfCheckpoint.load(base, root)) {
                TrainResult r = Recipes.train(m, Recipes.qa(enc, items), o.preset().finetune(), seed, tok.padId(),
                        dir.getFileName().toString(), o.progress(), null);
                HfCheckpoint.save(m, tok, prov.withTiming("train_s", Stage.seconds(t0))
                        .withTiming("final_loss", r.finalLoss()), dir);
            }
        }
        return dir;
    }

    /** Evaluates {@code model} into {@code dir}, or reads the log made there before with the same inputs. */
    private EvalLog evaluate(Path dir, LanguageModel model, Path modelDir, EvalLog retainLog, LetheTokenizer tok,
                             TofuBenchmark bench) throws IOException {
        Map<String, String> inputs = new TreeMap<>();
        inputs.put("model", Provenance.fingerprintOf(modelDir));
        if (retainLog != null && retainLog.source() != null) {
            inputs.put("retain_log", Provenance.sha256(retainLog.source()));
        }
        Map<String, String> cfg = Map.of("split", o.split(), "batch", Integer.toString(o.preset().evalBatch()),
                "max_new_tokens", Integer.toString(o.preset().maxNewTokens()));
        Provenance prov = Provenance.of("eval", cfg, o.seed(), inputs);
        Path file = dir.resolve(EvalLogJson.EVAL_FILE);
        if (Stage.upToDate(dir, prov, o.force()) && Files.isRegularFile(file)) {
            return EvalLogJson.read(file);
        }
        Stage.log("evaluating " + dir.getFileName());
        EvalOptions.Builder b = EvalOptions.builder().optBatchSize(o.preset().evalBatch())
                .optMaxNewTokens(o.preset().maxNewTokens()).optOutDir(dir).optProvenance(prov);
        if (retainLog != null) {
            b.optRetainLog(retainLog);
        }
        EvalRun run = TofuEvaluator.run(model, tok, bench, o.split(), b.build());
        prov.withTiming("eval_s", run.wallSeconds()).write(dir);
        return EvalLogJson.read(file);
    }

    private ResultRow unlearnAndEvaluate(MethodRunner runner, PipelineContext ctx, Path out, LetheTokenizer tok,
                                         TofuBenchmark bench, EvalLog oracleLog, IclStage icl) throws IOException {
        Path dir = out.resolve("unlearn").resolve(runner.name());
        Map<String, String> targetInputs = Map.of("target", Provenance.read(ctx.targetDir()).fingerprint(),
                "split", o.split());
        Provenance prov = Provenance.of("unlearn:" + runner.name(), runner.describe(ctx), o.seed(), targetInputs);
        LanguageModel model;
        double wall;
        if (Stage.upToDate(dir, prov, o.force())) {
            model = runner.load(ctx, dir);
            wall = Provenance.read(dir).timings().getOrDefault("unlearn_s", Double.NaN);
        } else {
            Stage.log("unlearning with " + runner.name());
            AtomicFiles.deleteRecursively(dir);
            Files.createDirectories(dir);
            long t0 = System.nanoTime();
            model = runner.run(ctx, dir);
            wall = Stage.seconds(t0);
            prov.withTiming("unlearn_s", wall).write(dir);
        }
        try {
            EvalLog log = evaluate(out.resolve("eval").resolve(runner.name()), model, dir, oracleLog, tok, bench);
            if (icl != null) {
                icl.score(runner.name(), model, dir, tok);
            }
            return row(runner.name(), log, wall);
        } finally {
            model.close();
        }
    }

    private ResultRow row(String method, EvalLog log, Double wall) {
        return ResultRow.fromLog(method, o.split(), o.seed(), log, wall);
    }

    /** The benchmark's own acceptance figures (see the tofu-mini issue): does the setup mean something? */
    private static Map<String, Object> checks(Map<String, Object> s) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("target_memorised (forget ROUGE ≥ 0.9)", num(s.get("target_forget_rouge")) >= 0.9);
        c.put("oracle_ignorant (forget ROUGE ≤ 0.5)", num(s.get("oracle_forget_rouge")) <= 0.5);
        c.put("target_distinguishable (FQ ≤ 1e-3)", num(s.get("target_forget_quality")) <= 1e-3);
        if (s.containsKey("second_oracle_forget_quality")) {
            c.put("oracles_indistinguishable (FQ ≥ 0.05)", num(s.get("second_oracle_forget_quality")) >= 0.05);
        }
        return c;
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private void report(Path out, List<ResultRow> rows, Map<String, Object> sanity, String worldHash, IclStage icl)
            throws IOException {
        ResultsTable table = new ResultsTable();
        table.addAll(rows);
        table.write(out);
        new FqVsMuPlot("TOFU-mini " + o.split() + " (" + o.preset().name() + ", seed " + o.seed() + ")")
                .write(out, rows);
        ObjectNode root = JSON.createObjectNode();
        ArrayNode arr = root.putArray("rows");
        for (ResultRow r : rows) {
            arr.add(JSON.valueToTree(rowMap(r)));
        }
        root.set("sanity", JSON.valueToTree(sanity));
        Map<String, String> cfg = new TreeMap<>(o.preset().describe());
        cfg.put("split", o.split());
        cfg.put("methods", String.join(",", o.methods()));
        if (icl != null) {
            icl.describe().forEach((k, v) -> cfg.put("icl." + k, v));
        }
        ObjectNode prov = Provenance.of("tofu-mini", cfg, o.seed(), Map.of("world", worldHash)).toJson();
        prov.remove("timings"); // always empty here; dropped so that results.json never carries a clock
        root.set("provenance", prov);
        AtomicFiles.writeString(out.resolve(RESULTS_FILE), JSON.writeValueAsString(root) + "\n");
        writeTimings(out, rows);
        System.out.println(table.toMarkdown());
        System.out.println("sanity: " + JSON.writeValueAsString(sanity));
    }

    /**
     * Wall-clock seconds: each row's method time and every step's timings from its {@code lethe.json}
     * (train_s, eval_s, unlearn_s; final_loss rides along because the provenance keeps it there).
     */
    private static void writeTimings(Path out, List<ResultRow> rows) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode methods = root.putObject("wall_s");
        for (ResultRow r : rows) {
            if (r.wallSeconds() == null) {
                methods.putNull(r.method());
            } else {
                methods.put(r.method(), r.wallSeconds());
            }
        }
        ObjectNode steps = root.putObject("steps");
        List<Path> dirs = new ArrayList<>(List.of(out.resolve("base"), out.resolve("target"), out.resolve("oracle")));
        for (String group : List.of("unlearn", "eval", "attack", "sanity")) {
            Path g = out.resolve(group);
            if (Files.isDirectory(g)) {
                try (var s = Files.list(g)) {
                    s.filter(Files::isDirectory).sorted().forEach(dirs::add);
                }
            }
        }
        for (Path d : dirs) {
            Provenance p = Provenance.read(d);
            if (p != null && !p.timings().isEmpty()) {
                steps.set(out.relativize(d).toString(), JSON.valueToTree(p.timings()));
            }
        }
        AtomicFiles.writeString(out.resolve(TIMINGS_FILE), JSON.writeValueAsString(root) + "\n");
    }

    private static Map<String, Object> rowMap(ResultRow r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", r.method());
        m.put("split", r.split());
        m.put("seed", r.seed());
        m.put("forget_quality", r.forgetQuality());
        m.put("model_utility", r.modelUtility());
        m.put("forget_prob", r.forgetProb());
        m.put("forget_rouge", r.forgetRouge());
        m.put("forget_truth_ratio", r.forgetTruthRatio());
        m.put("retain_prob", r.retainProb());
        m.put("retain_rouge", r.retainRouge());
        m.put("privleak", r.privleak());
        m.put("extraction_strength", r.extractionStrength());
        // JSON has no NaN: an extra column that is not defined for a row is null
        r.extra().forEach((k, v) -> m.put(k, v == null || !Double.isFinite(v) ? null : v));
        return m;
    }
}

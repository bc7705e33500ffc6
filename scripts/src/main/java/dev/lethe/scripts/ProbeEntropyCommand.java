package dev.lethe.scripts;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.text.ChatTemplate;
import dev.lethe.core.text.QaEncoder;
import dev.lethe.core.util.AtomicFiles;
import dev.lethe.core.util.Provenance;
import dev.lethe.datasets.tofu.QaItem;
import dev.lethe.datasets.tofu.TofuBenchmark;
import dev.lethe.eco.EcoStore;
import dev.lethe.eval.probes.EntropyReport;
import dev.lethe.eval.probes.MatrixEntropyProbe;
import dev.lethe.eval.probes.ProbePrompts;
import dev.lethe.scripts.tofu.ModelDirs;
import dev.lethe.uld.UldCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code lethe probe entropy}: UNComp matrix-entropy profiles (spec long-context §2.8, use 2) of the target
 * and the unlearned models on the forget split's questions and as many retain questions; JSON report
 * ({@link EntropyReport}, written atomically, with provenance) and a markdown table on stdout. Models are
 * opened one at a time with {@code lethe eval}'s loader and must be plain decoder checkpoints: a ULD result
 * serves the logit difference of two decoders and an ECO result a decoder fed corrupted embeddings, so
 * neither has one representation to probe (probe their plain parts instead).
 */
@Command(name = "entropy", mixinStandardHelpOptions = true,
        description = "Matrix-entropy fingerprint: per-layer/head entropy of target vs unlearned models on forget vs retain prompts.")
final class ProbeEntropyCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--model", required = true, description = "a plain HF checkpoint (or run dir holding model/); "
            + "repeat it: the first is the target M, the others unlearned models M^")
    List<Path> models;

    @Option(names = {"--data", "--world"}, required = true, description = "TOFU-layout directory (real TOFU or a generated world)")
    Path data;

    @Option(names = "--split", description = "forget01 | forget05 | forget10 (default ${DEFAULT-VALUE})")
    String split = "forget10";

    @Option(names = "--prompts", description = "a seeded sample of this many forget questions, and as many retain "
            + "questions (default: every forget question)")
    int prompts = 0;

    @Option(names = "--rank", description = "entropy truncation k (default 0: a quarter of each matrix's width, the "
            + "reference's k = 32 at head dim 128)")
    int rank = 0;

    @Option(names = "--template", description = "qa | llama2 | llama3 | plain (default ${DEFAULT-VALUE})")
    String template = "qa";

    @Option(names = "--with-answers", description = "probe question + answer (the scored text) instead of the "
            + "templated question alone")
    boolean withAnswers;

    @Option(names = "--seed", description = "prompt sample seed (default ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--out", required = true, description = "the JSON report file")
    Path out;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        int pct = SplitOption.forgetPercent(split);
        if (prompts < 0) {
            throw new IllegalArgumentException("--prompts must be ≥ 0 (0 = every forget question), got " + prompts);
        }
        ChatTemplate tpl = ChatTemplate.named(template);
        MatrixEntropyProbe probe = new MatrixEntropyProbe(rank);
        ProbePrompts sets = ProbePrompts.sample(TofuBenchmark.load(data), pct, prompts, seed);

        Map<String, String> inputs = new TreeMap<>();
        inputs.put("world", Provenance.sha256(data));
        Map<String, Path> dirs = new LinkedHashMap<>();
        List<Path> resolved = new ArrayList<>();
        for (Path m : models) { // check every directory before the first (slow) probe
            resolved.add(plainCheckpoint(m));
        }
        List<EntropyReport.Probed> probed = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            String name = uniqueName(resolved.get(i), dirs.keySet());
            dirs.put(name, models.get(i));
            inputs.put("model:" + name, fingerprint(models.get(i), resolved.get(i)));
            probed.add(probe(name, models.get(i), sets, tpl, probe));
        }
        EntropyReport report = new EntropyReport(probed);

        Map<String, String> cfg = new TreeMap<>();
        cfg.put("split", split);
        cfg.put("prompts", Integer.toString(sets.forget().size()));
        cfg.put("rank", rank == 0 ? "width/4" : Integer.toString(rank));
        cfg.put("template", tpl.name());
        cfg.put("text", withAnswers ? "question+answer" : "prompt");
        cfg.put("models", String.join(",", dirs.keySet()));
        ObjectNode root = report.toJson();
        root.put("split", split);
        root.put("data", data.toString());
        root.put("template", tpl.name());
        root.put("text", cfg.get("text"));
        root.put("rank", cfg.get("rank"));
        root.put("seed", seed);
        ObjectNode md = root.putObject("model_dirs");
        dirs.forEach((k, v) -> md.put(k, v.toString()));
        double wall = Math.round((System.nanoTime() - t0) / 1e7) / 100.0;
        root.set("provenance", Provenance.of("probe:entropy", cfg, seed, inputs).withTiming("probe_s", wall).toJson());
        AtomicFiles.writeString(out, JSON.writeValueAsString(root) + "\n");

        System.out.printf("matrix entropy (UNComp, rank %s) on %d %s and %d retain questions (%s, %s template)%n%n",
                cfg.get("rank"), sets.forget().size(), split, sets.retain().size(), cfg.get("text"), tpl.name());
        System.out.print(report.toTable());
        System.out.printf("%nwrote %s in %.1f s%n", out, wall);
        return 0;
    }

    /** The directory's decoder checkpoint; a ULD or ECO result is refused (it has no one representation). */
    static Path plainCheckpoint(Path dir) throws IOException {
        Path r = ModelDirs.resolve(dir);
        if (Files.isRegularFile(r.resolve(UldCheckpoint.FILE))) {
            throw new IllegalArgumentException(dir + " is a ULD result: it serves the logit difference of the target and "
                    + "an assistant, not one model's representations; probe the target checkpoint instead");
        }
        if (Files.isRegularFile(r.resolve(EcoStore.FILE))) {
            throw new IllegalArgumentException(dir + " is an ECO result: it serves the target on corrupted prompt "
                    + "embeddings, not a changed model; probe the target checkpoint instead");
        }
        return r;
    }

    private EntropyReport.Probed probe(String name, Path dir, ProbePrompts sets, ChatTemplate tpl,
                                       MatrixEntropyProbe probe) throws IOException {
        try (NDManager root = NDManager.newBaseManager(); ModelDirs.Opened m = ModelDirs.open(dir, root)) {
            System.err.println("[lethe] probing " + name + " (" + m.dir() + ")");
            Decoder d = (Decoder) m.model(); // plainCheckpoint refused everything else
            QaEncoder enc = QaEncoder.of(m.tokenizer(), tpl);
            return new EntropyReport.Probed(name, probe.perPrompt(d, encode(sets.forget(), enc, d)),
                    probe.perPrompt(d, encode(sets.retain(), enc, d)));
        }
    }

    private List<long[]> encode(List<QaItem> items, QaEncoder enc, Decoder d) {
        List<long[]> ids = ProbePrompts.encode(items, enc, withAnswers);
        int max = d.config().maxPositionEmbeddings();
        for (int i = 0; i < ids.size(); i++) {
            if (ids.get(i).length > max) {
                throw new IllegalArgumentException("question " + items.get(i).index() + " is " + ids.get(i).length
                        + " tokens, more than the model's " + max + " positions");
            }
        }
        return ids;
    }

    /** A run's name: the checkpoint directory's, or its parent's for {@code <run>/model}; made unique with #2, #3… */
    static String uniqueName(Path resolved, Set<String> taken) {
        Path abs = resolved.toAbsolutePath().normalize();
        Path base = abs.getFileName() != null && abs.getFileName().toString().equals("model") && abs.getParent() != null
                ? abs.getParent() : abs;
        String name = base.getFileName() == null ? "model" : base.getFileName().toString();
        String out = name;
        for (int k = 2; taken.contains(out); k++) {
            out = name + "#" + k;
        }
        return out;
    }

    private static String fingerprint(Path given, Path resolved) throws IOException {
        Provenance p = Provenance.read(given);
        return p != null ? p.fingerprint() : Provenance.fingerprintOf(resolved);
    }
}

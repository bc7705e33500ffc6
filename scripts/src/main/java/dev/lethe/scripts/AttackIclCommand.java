package dev.lethe.scripts;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.core.text.ChatTemplate;
import dev.lethe.core.util.AtomicFiles;
import dev.lethe.core.util.Provenance;
import dev.lethe.datasets.tofu.TofuBenchmark;
import dev.lethe.eval.attacks.ConditionScores;
import dev.lethe.eval.attacks.Hint;
import dev.lethe.eval.attacks.RelearningItems;
import dev.lethe.eval.attacks.RelearningReport;
import dev.lethe.eval.attacks.RelearningSetup;
import dev.lethe.scripts.tofu.ModelDirs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code lethe attack icl}: UnUnlearning's in-context relearning attack (spec long-context §4) on any model
 * {@code lethe eval} accepts. Each given model is opened, scored under every hint condition with greedy
 * decoding, and closed before the next; the report (JSON, written atomically) holds A per condition and
 * model, Δ, ρ with its denominator (with {@code --original}), E (with {@code --oracle}), ρ(k) and k₅₀,
 * all with 95 % item-bootstrap intervals, and a table goes to stdout.
 */
@Command(name = "icl", mixinStandardHelpOptions = true,
        description = "In-context relearning attack (hints H0-H7): how much forgotten knowledge a prompt brings back.")
final class AttackIclCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--model", required = true, description = "the unlearned model M^ (HF checkpoint, ULD or ECO directory)")
    Path model;

    @Option(names = {"--original", "--reference"},
            description = "the model before unlearning M: enables recovery ρ = Δ / (A(M,H0) - A(M^,H0))")
    Path original;

    @Option(names = "--oracle", description = "the retain-only (never-trained) model: enables excess recoverability E")
    Path oracle;

    @Option(names = {"--world", "--data"}, required = true,
            description = "TOFU-layout directory; a generated world also supplies keys, axioms (H3) and aliases (H4)")
    Path world;

    @Option(names = "--split", description = "forget01 | forget05 | forget10 (default ${DEFAULT-VALUE})")
    String split = "forget10";

    @Option(names = "--hints", split = ",", description = "conditions among H0..H7 (default: all); H0 is always run")
    List<String> hints = List.of("H0", "H1", "H2", "H3", "H4", "H5", "H6", "H7");

    @Option(names = "--shots", split = ",", description = "demo counts k of H5/H6 (default ${DEFAULT-VALUE})")
    List<Integer> shots = List.of(1, 2, 4, 8);

    @Option(names = "--max-items", description = "attack a seeded sample of this many forget items (default: all)")
    int maxItems = 0;

    @Option(names = "--seed", description = "item sample, demo order and bootstrap seed (default ${DEFAULT-VALUE})")
    long seed = 0;

    @Option(names = "--template", description = "qa | llama2 | llama3 | plain (default ${DEFAULT-VALUE})")
    String template = "qa";

    @Option(names = "--correctness", description = "auto | contains | exact | rouge (default ${DEFAULT-VALUE}: contains "
            + "of the fact value on a generated world, ROUGE-L recall of the answer otherwise)")
    String correctness = "auto";

    @Option(names = "--max-new-tokens", description = "greedy answer budget (default ${DEFAULT-VALUE})")
    int maxNewTokens = 64;

    @Option(names = "--batch", description = "generation batch size (default ${DEFAULT-VALUE})")
    int batch = 16;

    @Option(names = "--out", required = true, description = "the JSON report file")
    Path out;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        int pct = SplitOption.forgetPercent(split);
        TofuBenchmark bench = TofuBenchmark.load(world);
        RelearningSetup setup = RelearningItems.setup(bench, pct, maxItems > 0 ? maxItems : Integer.MAX_VALUE,
                conditions(), correctness, ChatTemplate.named(template), maxNewTokens, batch, seed);

        Map<String, String> inputs = new TreeMap<>();
        inputs.put("world", Provenance.sha256(world));
        ConditionScores unlearned = score("model", model, setup, inputs);
        ConditionScores orig = original == null ? null : score("original", original, setup, inputs);
        ConditionScores orc = oracle == null ? null : score("oracle", oracle, setup, inputs);
        RelearningReport report = new RelearningReport(setup, unlearned, orig, orc);

        Map<String, String> cfg = new TreeMap<>(setup.describe());
        cfg.put("split", split);
        ObjectNode root = report.toJson();
        root.put("split", split);
        root.put("world", world.toString());
        ObjectNode models = root.putObject("models");
        models.put("unlearned", model.toString());
        putPath(models, "original", original);
        putPath(models, "oracle", oracle);
        double wall = Math.round((System.nanoTime() - t0) / 1e7) / 100.0;
        root.set("provenance", Provenance.of("attack:icl", cfg, seed, inputs).withTiming("attack_s", wall).toJson());
        AtomicFiles.writeString(out, JSON.writeValueAsString(root) + "\n");

        System.out.printf("in-context relearning on %s: %d of %d %s items, %s scoring%n", model,
                setup.items().size(), setup.forgetPool().size(), split, setup.correctness());
        System.out.print(report.toTable());
        System.out.printf("wrote %s in %.1f s%n", out, wall);
        return 0;
    }

    private List<Hint> conditions() {
        List<Hint.Kind> kinds = new ArrayList<>(List.of(Hint.Kind.H0_NONE));
        for (String h : hints) {
            Hint.Kind k = Hint.kind(h);
            if (!kinds.contains(k)) {
                kinds.add(k);
            }
        }
        for (int k : shots) {
            if (k < 1) {
                throw new IllegalArgumentException("--shots must be positive, got " + k);
            }
        }
        return Hint.grid(kinds, shots);
    }

    /** Opens {@code dir}, scores it, closes it; records what it was in {@code inputs}. */
    private static ConditionScores score(String role, Path dir, RelearningSetup setup, Map<String, String> inputs)
            throws IOException {
        Provenance p = Provenance.read(dir);
        Path resolved = ModelDirs.resolve(dir);
        inputs.put(role, p != null ? p.fingerprint() : Provenance.fingerprintOf(resolved));
        try (NDManager root = NDManager.newBaseManager(); ModelDirs.Opened m = ModelDirs.open(dir, root)) {
            System.err.println("[lethe] attacking " + role + " (" + m.kind() + " " + m.dir() + ")");
            return setup.score(m.model(), m.tokenizer());
        }
    }

    private static void putPath(ObjectNode o, String name, Path p) {
        if (p == null) {
            o.putNull(name);
        } else {
            o.put(name, p.toString());
        }
    }
}

package dev.lethe.scripts;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.io.HfCheckpoint;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.text.ChatTemplate;
import dev.lethe.core.text.LetheTokenizer;
import dev.lethe.core.text.QaEncoder;
import dev.lethe.core.text.QaEncoding;
import dev.lethe.core.train.TrainResult;
import dev.lethe.core.util.Provenance;
import dev.lethe.datasets.tofu.TofuBenchmark;
import dev.lethe.scripts.tofu.Preset;
import dev.lethe.scripts.tofu.Recipes;
import dev.lethe.scripts.tofu.TrainSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code lethe train}: pretrain on a text corpus or finetune on a QA split; writes an HF checkpoint. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Pretrain (--corpus) or finetune (--split) a decoder; writes an HF checkpoint directory.")
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--data", required = true, description = "TOFU-layout directory with tokenizer.json")
    Path data;

    @Option(names = "--out", required = true, description = "checkpoint directory to write")
    Path out;

    @Option(names = "--init", description = "start from this checkpoint (default: a fresh model of --preset's shape)")
    Path init;

    @Option(names = "--corpus", description = "pretrain on this text file (one document per line) instead of QA")
    Path corpus;

    @Option(names = "--split", description = "QA split to finetune on (default ${DEFAULT-VALUE})")
    String split = "full";

    @Option(names = "--template", description = "qa | llama2 | llama3 | plain (default ${DEFAULT-VALUE})")
    String template = "qa";

    @Option(names = "--preset", description = "model shape and recipe defaults: tiny | default (default ${DEFAULT-VALUE})")
    String preset = "default";

    @Option(names = "--epochs", description = "epochs (default: the preset's)")
    Double epochs;

    @Option(names = "--lr", description = "peak learning rate (default: the preset's)")
    Double lr;

    @Option(names = "--batch", description = "batch size (default: the preset's)")
    Integer batch;

    @Option(names = "--seed", description = "seed (default ${DEFAULT-VALUE})")
    long seed = 0;

    @Override
    public Integer call() throws Exception {
        Preset p = Preset.named(preset);
        TrainSpec base = corpus != null ? p.pretrain() : p.finetune();
        TrainSpec spec = new TrainSpec(epochs != null ? epochs : base.epochs(), lr != null ? lr : base.learningRate(),
                batch != null ? batch : base.batchSize(), base.warmupFraction(), base.weightDecay());
        Path tokFile = init != null ? init.resolve(HfCheckpoint.TOKENIZER) : data.resolve(HfCheckpoint.TOKENIZER);
        try (NDManager root = NDManager.newBaseManager(); LetheTokenizer tok = LetheTokenizer.load(tokFile);
             Decoder m = init != null ? HfCheckpoint.load(init, root) : Decoder.random(p.config(tok), root, seed)) {
            QaEncoder enc = QaEncoder.of(tok, ChatTemplate.named(template));
            List<QaEncoding> examples = corpus != null ? Recipes.documents(enc, Files.readAllLines(corpus))
                    : Recipes.qa(enc, TofuBenchmark.load(data).qa(split));
            long t0 = System.nanoTime();
            // resumable: an interrupted run continues from here when restarted with the same arguments
            Path resume = out.toAbsolutePath().resolveSibling("." + out.getFileName() + ".resume");
            TrainResult r = Recipes.train(m, examples, spec, seed, tok.padId(), "train", true, resume);
            Map<String, String> cfg = new TreeMap<>(spec.describe("train"));
            cfg.put("data", corpus != null ? corpus.toString() : split);
            cfg.put("template", template);
            Map<String, String> inputs = new TreeMap<>();
            inputs.put("data", Provenance.sha256(corpus != null ? corpus : data.resolve(split + ".json")));
            if (init != null) {
                inputs.put("init", Provenance.sha256(init.resolve(HfCheckpoint.WEIGHTS)));
            }
            HfCheckpoint.save(m, tok, Provenance.of(corpus != null ? "pretrain" : "finetune", cfg, seed, inputs)
                    .withTiming("train_s", (System.nanoTime() - t0) / 1e9).withTiming("final_loss", r.finalLoss()), out);
            dev.lethe.core.util.AtomicFiles.deleteRecursively(resume);
            System.out.printf("trained %d steps, final loss %.4f → %s%n", r.losses().size(), r.finalLoss(), out);
        }
        return 0;
    }
}

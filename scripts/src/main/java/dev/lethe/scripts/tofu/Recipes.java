package dev.lethe.scripts.tofu;

import dev.lethe.core.model.Decoder;
import dev.lethe.core.text.QaEncoder;
import dev.lethe.core.text.QaEncoding;
import dev.lethe.core.train.CausalLmObjective;
import dev.lethe.core.train.ShuffledBatches;
import dev.lethe.core.train.TrainConfig;
import dev.lethe.core.train.TrainResult;
import dev.lethe.core.train.Trainer;
import dev.lethe.datasets.tofu.MultipleChoiceItem;
import dev.lethe.datasets.tofu.QaItem;
import dev.lethe.datasets.tofu.TofuBenchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The two training recipes of the benchmark: pretraining on a text corpus (every token scored) and
 * question-answer finetuning (answer tokens and EOS scored), both through the core training loop.
 */
public final class Recipes {

    private Recipes() {}

    /** Pretraining examples: BOS + document + EOS, every token scored. */
    public static List<QaEncoding> documents(QaEncoder encoder, List<String> docs) {
        List<QaEncoding> out = new ArrayList<>(docs.size());
        for (String d : docs) {
            if (!d.isBlank()) {
                out.add(encoder.encodeText(d));
            }
        }
        return out;
    }

    /** Finetuning examples: the template's prompt masked, answer and EOS scored. */
    public static List<QaEncoding> qa(QaEncoder encoder, List<QaItem> items) {
        List<QaEncoding> out = new ArrayList<>(items.size());
        for (QaItem q : items) {
            out.add(encoder.encode(q.question(), q.answer()));
        }
        return out;
    }

    /**
     * The world knowledge a base model should have before it meets the fictitious authors — the
     * real-author and world-fact questions with their answers, in QA form.
     *
     * <p>Why they are trained on at all: TOFU's model utility includes how well the model still answers
     * questions about real authors and world facts, which Llama learned in pretraining. A tiny model trained
     * from scratch does not turn the corpus' declarative sentences into answers to questions, so the base
     * recipe includes the questions themselves (pretraining) and replays them during finetuning, identically for
     * the target and the oracle; unlearning then shows whether a method damages this knowledge.
     */
    public static List<QaItem> worldKnowledge(TofuBenchmark bench) {
        List<QaItem> out = new ArrayList<>();
        int i = 0;
        for (MultipleChoiceItem m : bench.realAuthors()) {
            out.add(new QaItem(i++, m.question(), m.answer()));
        }
        for (MultipleChoiceItem m : bench.worldFacts()) {
            out.add(new QaItem(i++, m.question(), m.answer()));
        }
        return out;
    }

    /** {@code a} followed by {@code b}. */
    public static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a.size() + b.size());
        out.addAll(a);
        out.addAll(b);
        return out;
    }

    /**
     * Trains every parameter of {@code model} on {@code examples} in place.
     *
     * @param checkpointDir resumable checkpoints go here (null: none)
     */
    public static TrainResult train(Decoder model, List<QaEncoding> examples, TrainSpec spec, long seed, int padId,
                                    String task, boolean progress, Path checkpointDir) {
        ShuffledBatches batches = new ShuffledBatches(examples, spec.batchSize(), seed, padId);
        int steps = batches.steps(spec.epochs(), 1);
        TrainConfig config = TrainConfig.builder().setSteps(steps).setLearningRate(spec.learningRate())
                .optWarmupSteps((int) Math.round(spec.warmupFraction() * steps)).optWeightDecay(spec.weightDecay())
                .optSeed(seed).optProgress(progress).optTaskName(task)
                .optCheckpointEvery(checkpointDir == null ? 0 : Math.max(1, steps / 4)).build();
        Trainer<?> trainer = new Trainer<>(new LinkedHashMap<>(model.hfParameters()), model.manager(), config,
                new CausalLmObjective(model), batches);
        if (checkpointDir != null) {
            trainer.optCheckpointDir(checkpointDir);
        }
        TrainResult r = trainer.run();
        if (!r.completed()) {
            throw new IllegalStateException(task + ": " + r.message());
        }
        return r;
    }
}

package dev.lethe.uld;

import dev.lethe.core.model.Decoder;
import dev.lethe.core.text.QaEncoder;
import dev.lethe.core.text.QaEncoding;
import dev.lethe.core.train.TrainConfig;
import dev.lethe.core.train.TrainResult;
import dev.lethe.core.train.Trainer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains ULD's assistant (uld.md §4–5): build it from the target ({@link AssistantBuilder}), encode D'_f and D'_r
 * with the target's template, interleave them ({@link ForgetRetainSampler}) and minimise {@link UldObjective} with
 * core's {@link Trainer} over the LoRA tensors only.
 *
 * <p>Optimisation as the reference: AdamW (β 0.9/0.999, weight decay {@code config.weightDecay()} on the LoRA
 * matrices), {@code ceil(warmupRatio · steps)} linear warm-up steps then linear decay to 0, global-norm clipping,
 * {@code epochs × ceil(|epoch| / batchSize)} steps. The reference trains in bf16 with paged AdamW; Lethe trains in
 * fp32 (DJL cannot hold bf16, djl-notes §9.1), which only removes rounding noise. The reference keeps a checkpoint
 * per epoch and reports the best epoch by forget quality — an oracle choice (pitfall 3); Lethe trains the fixed
 * epoch count.
 */
public final class UldTrainer {

    private final UldConfig config;
    private boolean progress;
    private Path checkpointDir;

    public UldTrainer(UldConfig config) {
        this.config = config;
    }

    /** Show a progress bar (default off). */
    public UldTrainer optProgress(boolean show) {
        this.progress = show;
        return this;
    }

    /** Resumable checkpoints of the LoRA tensors and optimizer state, every epoch. */
    public UldTrainer optCheckpointDir(Path dir) {
        this.checkpointDir = dir;
        return this;
    }

    /**
     * @param target the frozen target (read, never modified)
     * @param data D'_f and D'_r
     * @param encoder tokenizer and chat template of the target
     */
    public UldResult train(Decoder target, UldDataset data, QaEncoder encoder) {
        int eos = encoder.tokenizer().eosId();
        List<QaEncoding> forget = encode(data.forget(), encoder, eos);
        List<QaEncoding> retain = encode(data.retain(), encoder, eos);
        ForgetRetainSampler sampler = new ForgetRetainSampler(forget, retain, config.batchSize(),
                config.accumulation(), config.seed(), encoder.tokenizer().padId(), config.padLength());
        int steps = config.epochs() * sampler.stepsPerEpoch();
        TrainConfig tc = TrainConfig.builder().setSteps(steps).setLearningRate(config.learningRate())
                .optWarmupSteps((int) Math.ceil(config.warmupRatio() * steps)).optDecay(TrainConfig.Decay.LINEAR)
                .optWeightDecay(config.weightDecay()).optClipNorm(config.clipNorm())
                .optAccumulation(config.accumulation()).optSeed(config.seed())
                .optCheckpointEvery(checkpointDir != null ? sampler.stepsPerEpoch() : 0)
                .optProgress(progress).optTaskName("uld assistant").build();
        Assistant assistant = AssistantBuilder.builder().setTarget(target).optConfig(config).build();
        try {
            Trainer<ForgetRetainBatch> trainer = new Trainer<>(assistant.trainableParameters(),
                    assistant.decoder().manager(), tc,
                    new UldObjective(assistant.decoder(), config.retainWeight(), config.retainLoss()), sampler);
            if (checkpointDir != null) {
                trainer.optCheckpointDir(checkpointDir);
            }
            TrainResult result = trainer.run();
            return new UldResult(assistant, config, result, data.counts(), data.source());
        } catch (RuntimeException e) {
            assistant.close();
            throw e;
        }
    }

    /**
     * Encodes with the target's template; when EOS is not learned its labels become −100, as the reference's
     * EOS-as-padding masking does.
     */
    List<QaEncoding> encode(List<UldExample> examples, QaEncoder encoder, int eos) {
        List<QaEncoding> out = new ArrayList<>(examples.size());
        for (UldExample e : examples) {
            QaEncoding q = encoder.encode(e.question(), e.answer());
            if (!config.learnEos()) {
                int[] labels = q.labels().clone();
                for (int i = 0; i < labels.length; i++) {
                    if (labels[i] == eos) {
                        labels[i] = QaEncoding.IGNORE;
                    }
                }
                q = new QaEncoding(q.ids(), labels, q.promptLength());
            }
            out.add(q);
        }
        return out;
    }
}

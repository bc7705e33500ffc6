package dev.lethe.core.unlearn;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.train.TrainConfig;
import dev.lethe.core.train.TrainResult;
import dev.lethe.core.train.Trainer;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs a fine-tuning unlearning method:
 * <pre>
 * student   = deep copy of the target            (the target stays as it is and is the frozen reference)
 * batches   = forget/retain pairing, seeded       (an epoch = one pass over the forget set)
 * schedule  = epochs·⌈|forget|/bs⌉ micro-batches, warm-up = ⌊warmup_epochs·|forget|/(bs·accum)⌋ steps, then linear decay
 * train the student with AdamW on the method's objective; return it
 * </pre>
 * Optional settings follow DJL's {@code opt*} style.
 */
public final class Unlearner {

    private Path checkpointDir;
    private int checkpointEvery;
    private boolean progress;
    private NDManager parent;

    /** Write resumable checkpoints here (and resume from one): the pairing makes batches a function of the step. */
    public Unlearner optCheckpointDir(Path dir) {
        this.checkpointDir = dir;
        return this;
    }

    /** Every how many optimizer steps to checkpoint (with {@link #optCheckpointDir}); default 0 = never. */
    public Unlearner optCheckpointEvery(int steps) {
        this.checkpointEvery = steps;
        return this;
    }

    public Unlearner optProgress(boolean show) {
        this.progress = show;
        return this;
    }

    /** Manager that will own the student; default: the target's parent manager. */
    public Unlearner optParentManager(NDManager manager) {
        this.parent = manager;
        return this;
    }

    public UnlearningResult run(UnlearningMethod method, Decoder target, UnlearningData data, MethodConfig config) {
        if (!config.method().equals(method.name())) {
            throw new IllegalArgumentException("config is for method " + config.method() + ", not " + method.name());
        }
        if (method.needsAlternatives() && !data.hasAlternatives()) {
            throw new IllegalArgumentException(method.name() + " needs an alternative answer per forget row "
                    + "(e.g. the question with an \"I don't know\" answer)");
        }
        if (config.has(MethodConfig.Key.ALPHA) && config.alpha() > 0 && data.retain().isEmpty()) {
            throw new IllegalArgumentException(method.name() + " has a retain term (alpha = " + config.alpha()
                    + ") but the retain set is empty");
        }
        FrozenReference reference = new FrozenReference(target);
        ForgetRetainPairing pairing = new ForgetRetainPairing(data, config.batchSize(), config.seed());
        TrainConfig schedule = schedule(config, data.forget().size(), progress, checkpointEvery);
        NDManager owner = parent != null ? parent : target.manager().getParentManager();
        Decoder student = target.copy(owner);
        try {
            Map<String, Parameter> params = method.trainableParameters(student, config);
            Trainer<ForgetRetainBatch> trainer = new Trainer<>(params, student.manager(), schedule,
                    method.objective(student, reference, config), pairing);
            if (checkpointDir != null) {
                trainer.optCheckpointDir(checkpointDir);
            }
            TrainResult result = trainer.run();
            Map<String, String> provenance = new LinkedHashMap<>(config.toMap());
            provenance.put("forget_rows", String.valueOf(data.forget().size()));
            provenance.put("retain_rows", String.valueOf(data.retain().size()));
            provenance.put("batches_per_epoch", String.valueOf(pairing.batchesPerEpoch()));
            provenance.put("steps", String.valueOf(schedule.steps()));
            provenance.put("warmup_steps", String.valueOf(schedule.warmupSteps()));
            provenance.put("trained_tensors", String.valueOf(params.size()));
            provenance.putAll(method.describe(student, config));
            return new UnlearningResult(student, result, Collections.unmodifiableMap(provenance));
        } catch (RuntimeException e) {
            student.close();
            throw e;
        }
    }

    /**
     * The optimizer schedule of a run over {@code forgetRows} rows. Micro-batch indices run on across epochs;
     * when {@code grad_accum} does not divide the micro-batches of the run, the last step is completed with
     * the first micro-batches of the next epoch's order (at most {@code grad_accum − 1} of them).
     */
    public static TrainConfig schedule(MethodConfig c, int forgetRows, boolean progress, int checkpointEvery) {
        long perEpoch = (forgetRows + c.batchSize() - 1) / c.batchSize();
        long micro = perEpoch * c.epochs();
        int steps = Math.toIntExact((micro + c.gradAccum() - 1) / c.gradAccum());
        int warmup = (int) Math.floor(c.warmupEpochs() * forgetRows / ((double) c.batchSize() * c.gradAccum()));
        return TrainConfig.builder().setSteps(steps).setLearningRate(c.learningRate()).optWarmupSteps(warmup)
                .optDecay(TrainConfig.Decay.LINEAR).optWeightDecay(c.weightDecay()).optClipNorm(c.maxGradNorm())
                .optAccumulation(c.gradAccum()).optSeed(c.seed()).optCheckpointEvery(checkpointEvery)
                .optProgress(progress).optTaskName("unlearn:" + c.method()).build();
    }
}

package dev.lethe.core.train;

import dev.lethe.core.util.Scalars;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The training loop, readable in one sitting:
 * <pre>
 * for each optimizer step:
 *     open a sub-manager                        (everything the step allocates dies with it)
 *     for each micro-batch: loss = objective(batch) / accumulation; backward   (gradients add up)
 *     stop if the loss or the gradient norm is not finite  (the update is not applied)
 *     clip: scale = min(1, c / ‖g‖);  AdamW update with that scale;  zero the gradients
 *     every N steps: write a resumable checkpoint
 * </pre>
 * Same seed and same batches give the same loss sequence: initialisation and batch order are seeded by
 * the caller, dropout by {@link Engine#setRandomSeed}.
 */
public final class Trainer<B> {

    private final Map<String, Parameter> params;
    private final NDManager root;
    private final TrainConfig config;
    private final Objective<B> objective;
    private final BatchSource<B> batches;
    private Path checkpointDir;

    /**
     * @param params the parameters to train, by name (e.g. a decoder's trainable HF parameters or LoRA adapters)
     * @param root the manager that owns the weights; per-step managers are its children
     */
    public Trainer(Map<String, Parameter> params, NDManager root, TrainConfig config, Objective<B> objective,
                   BatchSource<B> batches) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException("Nothing to train: no trainable parameters");
        }
        this.params = params;
        this.root = root;
        this.config = config;
        this.objective = objective;
        this.batches = batches;
    }

    /** Save a resumable checkpoint here every {@code checkpointEvery} steps, and resume from one if present. */
    public Trainer<B> optCheckpointDir(Path dir) {
        this.checkpointDir = dir;
        return this;
    }

    public TrainResult run() {
        Engine.getInstance().setRandomSeed((int) config.seed());
        List<Double> losses = new ArrayList<>();
        List<Double> norms = new ArrayList<>();
        List<Double> seconds = new ArrayList<>();
        long tokens = 0;
        params.values().forEach(p -> p.getArray().setRequiresGradient(true));
        try (AdamW adam = new AdamW(params, config, root); ProgressBar bar = progressBar()) {
            int start = 0;
            if (checkpointDir != null && TrainCheckpoint.exists(checkpointDir)) {
                TrainCheckpoint.State s = TrainCheckpoint.load(checkpointDir, params, adam);
                start = s.step();
                losses.addAll(s.losses());
                norms.addAll(s.gradNorms());
                if (bar != null) {
                    bar.stepTo(start);
                }
            }
            for (int step = start; step < config.steps(); step++) {
                long t0 = System.nanoTime();
                double loss = 0;
                double norm;
                long stepTokens = 0;
                try (NDManager sm = root.newSubManager()) {
                    for (int micro = 0; micro < config.accumulation(); micro++) {
                        B batch = batches.batch((long) step * config.accumulation() + micro, sm);
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            Objective.Loss l = objective.compute(batch, sm);
                            NDArray scaled = config.accumulation() == 1 ? l.value() : Scalars.div(l.value(), config.accumulation());
                            gc.backward(scaled);
                            loss += l.value().getFloat() / config.accumulation();
                            tokens += l.tokens();
                            stepTokens += l.tokens();
                        }
                    }
                    norm = adam.gradientNorm(sm);
                    if (!Double.isFinite(loss) || !Double.isFinite(norm)) {
                        adam.zeroGradients();
                        String what = !Double.isFinite(loss) ? "loss = " + loss : "gradient norm = " + norm;
                        return finish(losses, norms, seconds, tokens, step,
                                "Stopped at step " + step + ": " + what + "; weights are those after step "
                                        + (step - 1) + (checkpointDir != null ? " (last checkpoint in "
                                        + checkpointDir + ")" : ""));
                    }
                    double scale = config.clipNorm() > 0 && norm > config.clipNorm() ? config.clipNorm() / norm : 1.0;
                    adam.update(step + 1, config.learningRateAt(step), scale, sm);
                    adam.zeroGradients();
                }
                losses.add(loss);
                norms.add(norm);
                double dt = (System.nanoTime() - t0) / 1e9;
                seconds.add(dt);
                if (bar != null) {
                    bar.step();
                    bar.setExtraMessage(String.format(" loss %.4f, %.0f tok/s", loss, stepTokens / dt));
                }
                if (checkpointDir != null && config.checkpointEvery() > 0 && (step + 1) % config.checkpointEvery() == 0) {
                    TrainCheckpoint.save(checkpointDir, step + 1, losses, norms, params, adam);
                }
            }
            return finish(losses, norms, seconds, tokens, -1, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            params.values().forEach(p -> p.getArray().setRequiresGradient(false));
        }
    }

    private TrainResult finish(List<Double> losses, List<Double> norms, List<Double> seconds, long tokens,
                               int stoppedAt, String message) {
        return new TrainResult(List.copyOf(losses), List.copyOf(norms), List.copyOf(seconds), tokens, stoppedAt,
                message);
    }

    private ProgressBar progressBar() {
        if (!config.progress()) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName(config.taskName()).setInitialMax(config.steps())
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed().build();
    }
}

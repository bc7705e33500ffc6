package dev.lethe.core.unlearn;

import dev.lethe.core.model.Decoder;
import dev.lethe.core.train.TrainResult;

import java.util.Map;

/**
 * The unlearned model and how it was made.
 *
 * @param model the trained copy; the caller owns it and closes it (closing the result does the same)
 * @param training losses, gradient norms and timing of every step
 * @param provenance the effective configuration ({@link MethodConfig#toMap()}) plus the derived schedule
 *     ({@code steps}, {@code warmup_steps}, {@code batches_per_epoch}, data sizes) and method facts
 */
public record UnlearningResult(Decoder model, TrainResult training, Map<String, String> provenance)
        implements AutoCloseable {

    @Override
    public void close() {
        model.close();
    }
}

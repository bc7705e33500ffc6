package dev.lethe.core.unlearn;

import ai.djl.nn.Parameter;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.train.Objective;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An unlearning method turns (target model, forget set, retain set, config) into a language model. For the
 * fine-tuning baselines that model is a trained copy of the target: {@link #unlearn} copies the target, trains
 * the copy on {@link #objective} over the forget/retain pairing for a fixed number of epochs, and returns it;
 * the target is left unchanged and serves as the frozen reference.
 *
 * <p>Implementations are stateless and registered by {@link #name()} in {@link MethodRegistry}.
 */
public interface UnlearningMethod {

    /** Registry name, e.g. {@code npo}. */
    String name();

    /** This method's keys with their defaults (open-unlearning's TOFU settings). */
    MethodConfig defaults();

    /** Whether the data must carry an alternative answer per forget row (IdkDPO). */
    default boolean needsAlternatives() {
        return false;
    }

    /**
     * The loss the student minimises.
     *
     * @param model the trainable student (a copy of the target)
     * @param reference the frozen starting model
     */
    Objective<ForgetRetainBatch> objective(Decoder model, FrozenReference reference, MethodConfig config);

    /**
     * The parameters to update, by HF name: all of them by default. A method whose loss cannot reach some
     * tensors returns only the rest, which matches PyTorch's AdamW skipping parameters whose gradient is None
     * (no moment update, no weight decay).
     */
    default Map<String, Parameter> trainableParameters(Decoder model, MethodConfig config) {
        return new LinkedHashMap<>(model.hfParameters());
    }

    /** Facts about the run worth recording beyond the config (e.g. RMU's effective layer). */
    default Map<String, String> describe(Decoder model, MethodConfig config) {
        return Map.of();
    }

    /** Unlearns with the default runner (no checkpoints, no progress bar). */
    default UnlearningResult unlearn(Decoder target, UnlearningData data, MethodConfig config) {
        return new Unlearner().run(this, target, data, config);
    }
}

package dev.lethe.core.unlearn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.train.LmBatch;

import java.util.Map;

/**
 * The frozen reference model (OU's {@code ref_model}: the starting model, never updated).
 *
 * <p>Its weights must not require gradients, so a forward pass records no autograd graph even inside the
 * Trainer's gradient collector; outputs are additionally detached and attached to the caller's step manager,
 * so they are constants of the loss and are freed with the step.
 *
 * <p>The unlearning runner uses the untouched target itself as the reference (the student is a copy), which
 * saves one model's memory; this is the same model as OU's deep copy because the target is never trained.
 */
public final class FrozenReference {

    private final Decoder model;

    public FrozenReference(Decoder model) {
        for (Map.Entry<String, Parameter> e : model.hfParameters().entrySet()) {
            NDArray a = e.getValue().getArray();
            // hasGradient() is torch's requires_grad for leaf tensors such as weights
            if (a != null && a.hasGradient()) {
                throw new IllegalStateException("The reference model must be frozen, but " + e.getKey()
                        + " requires a gradient");
            }
        }
        this.model = model;
    }

    public Decoder model() {
        return model;
    }

    /** Logits {@code [B, T, V]}, constant, in {@code step}. */
    public NDArray logits(LmBatch batch, NDManager step) {
        return constant(Forward.logits(model, batch, false), step);
    }

    /** Output of decoder layer {@code layer} {@code [B, T, d]}, constant, in {@code step}. */
    public NDArray hidden(LmBatch batch, int layer, NDManager step) {
        return constant(Forward.hidden(model, batch, layer, false), step);
    }

    private static NDArray constant(NDArray x, NDManager step) {
        NDArray c = x.stopGradient();
        c.attach(step);
        return c;
    }
}

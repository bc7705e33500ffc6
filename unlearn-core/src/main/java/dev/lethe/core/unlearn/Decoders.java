package dev.lethe.core.unlearn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lethe.core.model.Decoder;

/** Model copies for unlearning: the trainable student starts as an exact copy of the target. */
public final class Decoders {

    private Decoders() {}

    /**
     * A deep copy of {@code source}'s weights in a new decoder under {@code parent} (same config and mask
     * policy). The copy shares no memory with the source, so training it leaves the source untouched, and its
     * arrays are detached leaves that do not require gradients. LoRA adapters are not copied: merge them first.
     */
    public static Decoder copy(Decoder source, NDManager parent) {
        return new Decoder(source.config(), parent, (name, shape, manager) -> {
            NDArray w = source.hfParameters().get(name).getArray();
            // clone, then detach: a clone of a tensor that requires grad would be a non-leaf of its graph
            NDArray clone = w.duplicate();
            NDArray leaf = clone.stopGradient();
            leaf.attach(manager);
            clone.close();
            return leaf;
        }, source.maskPolicy());
    }
}

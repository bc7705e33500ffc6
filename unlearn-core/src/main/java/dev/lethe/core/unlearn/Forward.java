package dev.lethe.core.unlearn;

import ai.djl.ndarray.NDArray;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.train.LmBatch;

/** The two forward passes the objectives need. Outputs attach to the batch's (step) manager. */
final class Forward {

    private Forward() {}

    static NDArray logits(Decoder model, LmBatch b, boolean training) {
        return model.forward(Decoder.Input.ids(b.tokens().ids()).optAttentionMask(b.tokens().attentionMask())
                .optTraining(training)).logits();
    }

    /** The residual stream after layer {@code layer} (HF: the output of {@code model.layers.<layer>}). */
    static NDArray hidden(Decoder model, LmBatch b, int layer, boolean training) {
        // Only layers 0..layer run: nothing above the steered layer affects the loss.
        return model.forward(Decoder.Input.ids(b.tokens().ids()).optAttentionMask(b.tokens().attentionMask())
                .optLayers(layer + 1).optLogits(false).optTraining(training)).lastHidden();
    }
}

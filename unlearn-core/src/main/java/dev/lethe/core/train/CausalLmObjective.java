package dev.lethe.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lethe.core.lm.TokenLogProbs;
import dev.lethe.core.model.Decoder;

/** Next-token cross-entropy on the labelled tokens (answers and EOS in QA data). */
public final class CausalLmObjective implements Objective<LmBatch> {

    private final Decoder model;

    public CausalLmObjective(Decoder model) {
        this.model = model;
    }

    @Override
    public Loss compute(LmBatch batch, NDManager step) {
        NDArray logits = model.forward(Decoder.Input.ids(batch.tokens().ids())
                .optAttentionMask(batch.tokens().attentionMask()).optTraining(true)).logits();
        NDArray loss = TokenLogProbs.of(logits, batch.labels()).meanNll();
        return new Loss(loss, batch.tokens().ids().getShape().size());
    }
}

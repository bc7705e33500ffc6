package dev.lethe.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lethe.core.lm.TokenLogProbs;
import dev.lethe.core.model.Decoder;

/**
 * Next-token cross-entropy on the labelled tokens (answers and EOS in QA data).
 *
 * <p>The LM head runs only on the positions that are scored: in QA finetuning the prompt is masked, so
 * projecting every position onto the vocabulary (the single largest GEMM of a small model) would waste
 * about half of it. The loss is the same mean NLL as {@link TokenLogProbs#meanNll()} over full logits.
 */
public final class CausalLmObjective implements Objective<LmBatch> {

    private final Decoder model;

    public CausalLmObjective(Decoder model) {
        this.model = model;
    }

    @Override
    public Loss compute(LmBatch batch, NDManager step) {
        NDArray hidden = model.forward(Decoder.Input.ids(batch.tokens().ids())
                .optAttentionMask(batch.tokens().attentionMask()).optTraining(true).optLogits(false)).lastHidden();
        NDArray loss = TokenLogProbs.scoredMeanNll(model, hidden, batch.labels());
        return new Loss(loss, batch.tokens().ids().getShape().size());
    }
}

package dev.lethe.core.unlearn;

import ai.djl.ndarray.NDArray;
import dev.lethe.core.lm.TokenLogProbs;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.train.LmBatch;
import dev.lethe.core.util.Scalars;

/** The retain terms of tofu-eval.md §3.1 (RMU's activation term lives in {@link Rmu}). */
public final class RetainTerms {

    private RetainTerms() {}

    public static LossTerm of(RetainLoss type, Decoder model, FrozenReference reference) {
        return switch (type) {
            case NLL -> nll(model);
            case KL -> kl(model, reference);
        };
    }

    /** Mean token cross-entropy over every scored retain token of the batch (HF causal-LM loss). */
    public static LossTerm nll(Decoder model) {
        return (b, step) -> {
            LmBatch r = b.requireRetain("the NLL retain term");
            return TokenLogProbs.of(Forward.logits(model, r, true), r.labels()).meanNll();
        };
    }

    /**
     * {@code KL(p_ref ‖ p_θ) = Σ_v p_ref (log p_ref − log p_θ)} summed over every position of the retain batch
     * — prompt and padding included — and divided by B·T: PyTorch's {@code kl_div(log_target=True,
     * reduction="batchmean")} on logits flattened to {@code [B·T, V]}, as OU computes it.
     */
    public static LossTerm kl(Decoder model, FrozenReference reference) {
        if (reference == null) {
            throw new IllegalArgumentException("the KL retain term needs a reference model");
        }
        return (b, step) -> {
            LmBatch r = b.requireRetain("the KL retain term");
            NDArray refLogp = reference.logits(r, step).logSoftmax(-1);
            NDArray logp = Forward.logits(model, r, true).logSoftmax(-1);
            long positions = r.tokens().ids().getShape().size();
            NDArray kl = refLogp.exp().mul(refLogp.sub(logp)).sum();
            return Scalars.div(kl, positions);
        };
    }
}

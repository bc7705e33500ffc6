package dev.lethe.core.unlearn;

/** open-unlearning's {@code retain_loss_type}: how the retain term keeps the model close to where it started. */
public enum RetainLoss {
    /** Mean token cross-entropy on the retain answers (HF's causal-LM loss). */
    NLL,
    /** {@code KL(p_ref ‖ p_θ)} over the vocabulary at every position of the retain batch, / (B·T). */
    KL
}

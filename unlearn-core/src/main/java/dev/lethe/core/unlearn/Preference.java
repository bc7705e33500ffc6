package dev.lethe.core.unlearn;

import ai.djl.ndarray.NDArray;
import dev.lethe.core.util.Scalars;

/** The log-sigmoid losses shared by DPO, NPO and SimNPO. */
final class Preference {

    private Preference() {}

    /** {@code log σ(x) = −softplus(−x)}, stable for large |x| (PyTorch's softplus switches to x above 20). */
    static NDArray logSigmoid(NDArray x) {
        return x.neg().getNDArrayInternal().softPlus().neg();
    }

    /** {@code −(2/β)·mean(log σ(β·margin))} over rows: OU's {@code compute_dpo_loss} form. */
    static NDArray loss(NDArray margin, double beta) {
        return Scalars.mul(logSigmoid(Scalars.mul(margin, beta)).mean(), -2.0 / beta);
    }
}

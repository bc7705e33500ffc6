package dev.lethe.core.unlearn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lethe.core.train.LmBatch;
import dev.lethe.core.train.Objective;
import dev.lethe.core.util.Scalars;

/**
 * {@code L = γ·L_forget + α·L_retain} (OU's {@code GradDiff} and every method derived from it). With α = 0
 * the retain term is not computed at all: its forward pass would cost time and change nothing.
 */
public final class ForgetRetainObjective implements Objective<ForgetRetainBatch> {

    private final LossTerm forget;
    private final double gamma;
    private final LossTerm retain;
    private final double alpha;

    /**
     * @param retain the retain term, or null for none (then α is ignored)
     */
    public ForgetRetainObjective(LossTerm forget, double gamma, LossTerm retain, double alpha) {
        this.forget = forget;
        this.gamma = gamma;
        this.retain = retain;
        this.alpha = retain == null ? 0 : alpha;
    }

    public LossTerm forgetTerm() {
        return forget;
    }

    public LossTerm retainTerm() {
        return retain;
    }

    @Override
    public Loss compute(ForgetRetainBatch batch, NDManager step) {
        NDArray loss = scaled(forget.compute(batch, step), gamma);
        long tokens = tokens(batch.forget()) + tokens(batch.alternative());
        if (alpha != 0) {
            loss = loss.add(scaled(retain.compute(batch, step), alpha));
            tokens += tokens(batch.retain());
        }
        return new Loss(loss, tokens);
    }

    private static NDArray scaled(NDArray x, double w) {
        return w == 1.0 ? x : Scalars.mul(x, w);
    }

    private static long tokens(LmBatch b) {
        return b == null ? 0 : b.tokens().ids().getShape().size();
    }
}

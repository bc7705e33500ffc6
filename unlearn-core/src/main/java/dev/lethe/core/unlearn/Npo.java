package dev.lethe.core.unlearn;

import ai.djl.ndarray.NDArray;
import dev.lethe.core.lm.TokenLogProbs;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.train.LmBatch;
import dev.lethe.core.train.Objective;

/**
 * NPO ({@code npo}): {@code −(2/β)·mean log σ(−β[log π(y_f) − log π_ref(y_f)])} with log π the summed
 * answer-token log-probability, plus α·retain NLL. β = 0.1, α = 1, γ = 1.
 */
public final class Npo implements UnlearningMethod {

    @Override
    public String name() {
        return "npo";
    }

    @Override
    public MethodConfig defaults() {
        return MethodConfig.schedule(name()).declare(MethodConfig.Key.BETA, 0.1)
                .declare(MethodConfig.Key.ALPHA, 1.0).declare(MethodConfig.Key.GAMMA, 1.0)
                .declare(MethodConfig.Key.RETAIN_LOSS, RetainLoss.NLL);
    }

    public static LossTerm forgetTerm(Decoder model, FrozenReference reference, double beta) {
        return (b, step) -> {
            NDArray logRatio = logRatio(model, reference, b.forget(), step);
            return Preference.loss(logRatio.neg(), beta);
        };
    }

    /** {@code log π_θ(y) − log π_ref(y)} per row {@code [B]}. */
    static NDArray logRatio(Decoder model, FrozenReference reference, LmBatch rows, ai.djl.ndarray.NDManager step) {
        NDArray theta = TokenLogProbs.of(Forward.logits(model, rows, true), rows.labels()).sumPerRow();
        NDArray ref = TokenLogProbs.of(reference.logits(rows, step), rows.labels()).sumPerRow();
        return theta.sub(ref);
    }

    @Override
    public Objective<ForgetRetainBatch> objective(Decoder model, FrozenReference reference, MethodConfig config) {
        return new ForgetRetainObjective(forgetTerm(model, reference, config.beta()), config.gamma(),
                RetainTerms.of(config.retainLoss(), model, reference), config.alpha());
    }
}

package dev.lethe.core.unlearn;

import ai.djl.ndarray.NDArray;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.train.Objective;

/**
 * IdkDPO ({@code idkdpo}): DPO preferring a refusal y_idk over the forget answer y_f for the same question,
 * {@code −(2/β)·mean log σ(β[(log π(y_idk) − log π_ref(y_idk)) − (log π(y_f) − log π_ref(y_f))])}, plus
 * α·retain NLL. β = 0.1, α = 1, γ = 1. The refusal rows come from {@link UnlearningData#alternatives()}.
 */
public final class IdkDpo implements UnlearningMethod {

    @Override
    public String name() {
        return "idkdpo";
    }

    @Override
    public MethodConfig defaults() {
        return MethodConfig.schedule(name()).declare(MethodConfig.Key.BETA, 0.1)
                .declare(MethodConfig.Key.ALPHA, 1.0).declare(MethodConfig.Key.GAMMA, 1.0)
                .declare(MethodConfig.Key.RETAIN_LOSS, RetainLoss.NLL);
    }

    @Override
    public boolean needsAlternatives() {
        return true;
    }

    public static LossTerm forgetTerm(Decoder model, FrozenReference reference, double beta) {
        return (b, step) -> {
            NDArray win = Npo.logRatio(model, reference, b.requireAlternative("IdkDPO"), step);
            NDArray lose = Npo.logRatio(model, reference, b.forget(), step);
            return Preference.loss(win.sub(lose), beta);
        };
    }

    @Override
    public Objective<ForgetRetainBatch> objective(Decoder model, FrozenReference reference, MethodConfig config) {
        return new ForgetRetainObjective(forgetTerm(model, reference, config.beta()), config.gamma(),
                RetainTerms.of(config.retainLoss(), model, reference), config.alpha());
    }
}

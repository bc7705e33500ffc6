package dev.lethe.core.unlearn;

import dev.lethe.core.model.Decoder;
import dev.lethe.core.train.Objective;

/**
 * GradDiff ({@code graddiff}): {@code γ·(−NLL_f) + α·L_retain} with the retain NLL by default. The same loss
 * with the KL retain term is TOFU's "KL Minimization", registered as {@code kl}.
 */
public final class GradDiff implements UnlearningMethod {

    private final String name;
    private final RetainLoss fixedRetain;

    private GradDiff(String name, RetainLoss fixedRetain) {
        this.name = name;
        this.fixedRetain = fixedRetain;
    }

    /** {@code graddiff}: γ = 1, α = 1, retain_loss_type NLL (overridable). */
    public static GradDiff gradDiff() {
        return new GradDiff("graddiff", null);
    }

    /** {@code kl}: γ = 1, α = 1, retain term fixed to KL(p_ref ‖ p_θ). */
    public static GradDiff klMinimization() {
        return new GradDiff("kl", RetainLoss.KL);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public MethodConfig defaults() {
        MethodConfig c = MethodConfig.schedule(name).declare(MethodConfig.Key.GAMMA, 1.0)
                .declare(MethodConfig.Key.ALPHA, 1.0);
        return fixedRetain == null ? c.declare(MethodConfig.Key.RETAIN_LOSS, RetainLoss.NLL) : c;
    }

    RetainLoss retainLoss(MethodConfig config) {
        return fixedRetain != null ? fixedRetain : config.retainLoss();
    }

    @Override
    public Objective<ForgetRetainBatch> objective(Decoder model, FrozenReference reference, MethodConfig config) {
        return new ForgetRetainObjective(GradAscent.forgetTerm(model), config.gamma(),
                RetainTerms.of(retainLoss(config), model, reference), config.alpha());
    }
}

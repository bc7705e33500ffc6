package dev.lethe.core.unlearn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.lethe.core.lm.TokenLogProbs;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.train.LmBatch;
import dev.lethe.core.train.Objective;
import dev.lethe.core.util.Scalars;

/**
 * SimNPO ({@code simnpo}): reference-free NPO on the length-normalised NLL,
 * {@code −(2/β)·mean log σ(β·(NLL_sum/|y| − δ))}, plus α·retain NLL. δ = 0, β = 4.5, γ = 0.125, α = 1.
 *
 * <p>|y| counts the labels that are not −100 in the unshifted row, as OU does ({@code (labels != -100).sum(-1)}).
 * With a masked prompt this is exactly the number of scored tokens; for a row with no prompt it is one more,
 * because the first token is never predicted.
 */
public final class SimNpo implements UnlearningMethod {

    @Override
    public String name() {
        return "simnpo";
    }

    @Override
    public MethodConfig defaults() {
        return MethodConfig.schedule(name()).declare(MethodConfig.Key.BETA, 4.5)
                .declare(MethodConfig.Key.DELTA, 0.0).declare(MethodConfig.Key.GAMMA, 0.125)
                .declare(MethodConfig.Key.ALPHA, 1.0).declare(MethodConfig.Key.RETAIN_LOSS, RetainLoss.NLL);
    }

    public static LossTerm forgetTerm(Decoder model, double beta, double delta) {
        return (b, step) -> {
            LmBatch f = b.forget();
            NDArray nllSum = TokenLogProbs.of(Forward.logits(model, f, true), f.labels()).sumPerRow().neg();
            NDArray length = f.labels().neq(TokenLogProbs.IGNORE).toType(DataType.FLOAT32, false)
                    .sum(new int[] {1});
            NDArray perToken = nllSum.div(length.maximum(Scalars.scalar(length, 1)));
            return Preference.loss(delta == 0 ? perToken : Scalars.sub(perToken, delta), beta);
        };
    }

    @Override
    public Objective<ForgetRetainBatch> objective(Decoder model, FrozenReference reference, MethodConfig config) {
        return new ForgetRetainObjective(forgetTerm(model, config.beta(), config.delta()), config.gamma(),
                RetainTerms.of(config.retainLoss(), model, reference), config.alpha());
    }
}

package dev.lethe.core.unlearn;

import dev.lethe.core.lm.TokenLogProbs;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.train.LmBatch;
import dev.lethe.core.train.Objective;

/** GradAscent ({@code ga}): maximise the forget NLL, {@code L = −NLL_f} (mean token CE); no retain term. */
public final class GradAscent implements UnlearningMethod {

    @Override
    public String name() {
        return "ga";
    }

    @Override
    public MethodConfig defaults() {
        return MethodConfig.schedule(name());
    }

    /** {@code −NLL_f}: minus the mean cross-entropy over every scored forget token of the batch. */
    public static LossTerm forgetTerm(Decoder model) {
        return (b, step) -> {
            LmBatch f = b.forget();
            return TokenLogProbs.of(Forward.logits(model, f, true), f.labels()).meanNll().neg();
        };
    }

    @Override
    public Objective<ForgetRetainBatch> objective(Decoder model, FrozenReference reference, MethodConfig config) {
        return new ForgetRetainObjective(forgetTerm(model), 1.0, null, 0.0);
    }
}

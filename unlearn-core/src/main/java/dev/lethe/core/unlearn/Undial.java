package dev.lethe.core.unlearn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.lethe.core.lm.TokenLogProbs;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.train.LmBatch;
import dev.lethe.core.train.Objective;
import dev.lethe.core.util.Scalars;

/**
 * UNDIAL ({@code undial}): self-distillation toward the reference's distribution with the true next token's
 * logit lowered by β, {@code CE(student, softmax(teacher − β·onehot(label)))} averaged over every shifted
 * position of the forget batch (prompt and padding included, as OU). β = 10, lr 1e-4, α = 0, γ = 1.
 *
 * <p>At label −100 OU indexes the one-hot with −100, which PyTorch reads as vocabulary id V − 100: the
 * teacher's logit for that arbitrary token is lowered. {@code undial_ignored = wrap} (default) reproduces this
 * (with Python's modulo when V &lt; 100, where PyTorch would fail); {@code skip} leaves those positions at the
 * teacher's distribution.
 */
public final class Undial implements UnlearningMethod {

    @Override
    public String name() {
        return "undial";
    }

    @Override
    public MethodConfig defaults() {
        return MethodConfig.schedule(name()).with(MethodConfig.Key.LR, 1e-4)
                .declare(MethodConfig.Key.BETA, 10.0).declare(MethodConfig.Key.ALPHA, 0.0)
                .declare(MethodConfig.Key.GAMMA, 1.0).declare(MethodConfig.Key.RETAIN_LOSS, RetainLoss.NLL)
                .declare(MethodConfig.Key.UNDIAL_IGNORED, MethodConfig.UndialIgnored.WRAP);
    }

    /**
     * The distillation targets {@code softmax(teacher − β·onehot(label))} {@code [B, T, V]}.
     *
     * @param teacherLogits constant logits aligned with {@code labels} (already shifted)
     * @param labels int64 {@code [B, T]}, −100 where unscored
     */
    public static NDArray targets(NDArray teacherLogits, NDArray labels, double beta,
                                  MethodConfig.UndialIgnored ignored) {
        int vocab = Math.toIntExact(teacherLogits.getShape().get(2));
        NDArray lab = labels.toType(DataType.INT64, false);
        NDArray isIgnored = lab.eq(TokenLogProbs.IGNORE).toType(DataType.INT64, false);
        long wrapped = Math.floorMod((long) TokenLogProbs.IGNORE, vocab);
        // ignored positions: −100 + (wrapped + 100) = wrapped
        NDArray index = lab.add(Scalars.mul(isIgnored, wrapped - TokenLogProbs.IGNORE));
        NDArray onehot = index.oneHot(vocab).toType(teacherLogits.getDataType(), false);
        if (ignored == MethodConfig.UndialIgnored.SKIP) {
            NDArray keep = isIgnored.eq(0).toType(onehot.getDataType(), false).expandDims(-1);
            onehot = onehot.mul(keep);
        }
        return teacherLogits.sub(Scalars.mul(onehot, beta)).softmax(-1);
    }

    public static LossTerm forgetTerm(Decoder model, FrozenReference reference, double beta,
                                      MethodConfig.UndialIgnored ignored) {
        return (b, step) -> {
            LmBatch f = b.forget();
            NDArray logits = Forward.logits(model, f, true);
            NDArray teacher = reference.logits(f, step);
            long t = logits.getShape().get(1);
            NDArray q = targets(teacher.get(":, :{}, :", t - 1), f.labels().get(":, 1:"), beta, ignored);
            NDArray logp = logits.get(":, :{}, :", t - 1).logSoftmax(-1);
            return q.mul(logp).sum(new int[] {2}).mean().neg();
        };
    }

    @Override
    public Objective<ForgetRetainBatch> objective(Decoder model, FrozenReference reference, MethodConfig config) {
        return new ForgetRetainObjective(forgetTerm(model, reference, config.beta(), config.undialIgnored()),
                config.gamma(), RetainTerms.of(config.retainLoss(), model, reference), config.alpha());
    }
}

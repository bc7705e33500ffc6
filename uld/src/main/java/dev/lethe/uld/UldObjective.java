package dev.lethe.uld;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.lethe.core.lm.TokenLogProbs;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.train.LmBatch;
import dev.lethe.core.train.Objective;
import dev.lethe.core.util.Scalars;

/**
 * ULD's assistant loss (uld.md §4, reference {@code remember+uniform}):
 * <pre>
 *   L   = L_f + λ · L_r
 *   L_f = mean over the labelled (answer) tokens of the forget rows of −log p_a(y_t | y_&lt;t)
 *   L_r = mean over retain positions t of KL(U ‖ p_a(·|x_&lt;t)) = −log V − (1/V) Σ_v log p_a(v|x_&lt;t)
 * </pre>
 * Each term is averaged within its own sub-batch; an empty sub-batch contributes 0. {@link RetainLossMode#FAITHFUL}
 * averages L_r over all {@code B_r × T} positions (prompt and padding included, as the reference);
 * {@link RetainLossMode#MASKED} over the positions that predict a labelled token.
 *
 * <p>Memory: the batch arrays live in the step manager, and every op's first operand is one of them (or derived
 * from them), so the whole graph dies with the step. Scalars go through {@link Scalars} (djl-notes: scalar ops
 * inside an autograd graph).
 */
public final class UldObjective implements Objective<ForgetRetainBatch> {

    private final Decoder assistant;
    private final double retainWeight;
    private final RetainLossMode mode;

    public UldObjective(Decoder assistant, double retainWeight, RetainLossMode mode) {
        this.assistant = assistant;
        this.retainWeight = retainWeight;
        this.mode = mode;
    }

    @Override
    public Loss compute(ForgetRetainBatch batch, NDManager step) {
        LmBatch f = batch.forget();
        LmBatch r = batch.retain();
        NDArray lf;
        NDArray lr;
        if (f != null && r != null) {
            // one forward over both sub-batches instead of two: half the op launches per step, which at the
            // assistant's small widths cost more than the arithmetic. Right padding to a common width leaves
            // every real position's logits unchanged (causal attention, padded keys masked), and each side's
            // logits are cut back to its own width, so both losses are exactly those of separate passes.
            NDArray[] logits = jointLogits(f, r, true);
            lf = TokenLogProbs.of(logits[0], f.labels()).meanNll();
            lr = uniformLoss(logits[1], r.labels(), mode);
        } else {
            lf = f == null ? null : forgetLoss(f, true);
            lr = r == null ? null : retainLoss(r, true);
        }
        NDArray total;
        if (lf == null) {
            total = Scalars.mul(lr, retainWeight);
        } else if (lr == null) {
            total = lf;
        } else {
            total = lf.add(Scalars.mul(lr, retainWeight));
        }
        long tokens = (f == null ? 0 : f.tokens().ids().getShape().size())
                + (r == null ? 0 : r.tokens().ids().getShape().size());
        return new Loss(total, tokens);
    }

    /** Logits of {@code f} and {@code r} from one forward pass, each {@code [B, T, V]} at its own width. */
    NDArray[] jointLogits(LmBatch f, LmBatch r, boolean training) {
        long tf = f.tokens().ids().getShape().get(1);
        long tr = r.tokens().ids().getShape().get(1);
        long width = Math.max(tf, tr);
        NDArray ids = widen(f.tokens().ids(), width).concat(widen(r.tokens().ids(), width), 0);
        NDArray mask = widen(f.tokens().attentionMask(), width).concat(widen(r.tokens().attentionMask(), width), 0);
        NDArray logits = assistant.forward(Decoder.Input.ids(ids).optAttentionMask(mask).optTraining(training))
                .logits();
        long bf = f.tokens().ids().getShape().get(0);
        return new NDArray[] {logits.get("0:{}, 0:{}", bf, tf), logits.get("{}:, 0:{}", bf, tr)};
    }

    /** {@code a [B, T]} right-padded with zeros (ids: any token, masks: padding) to {@code width} columns. */
    private static NDArray widen(NDArray a, long width) {
        long t = a.getShape().get(1);
        if (t == width) {
            return a;
        }
        return a.concat(a.getManager().zeros(new ai.djl.ndarray.types.Shape(a.getShape().get(0), width - t),
                a.getDataType()), 1);
    }

    /** L_f: mean token CE on the labelled tokens of {@code forget} (the HF-internal loss). */
    public NDArray forgetLoss(LmBatch forget, boolean training) {
        return TokenLogProbs.of(logits(forget, training), forget.labels()).meanNll();
    }

    /** L_r of {@code retain} under this objective's mode. */
    public NDArray retainLoss(LmBatch retain, boolean training) {
        return uniformLoss(logits(retain, training), retain.labels(), mode);
    }

    private NDArray logits(LmBatch b, boolean training) {
        return assistant.forward(Decoder.Input.ids(b.tokens().ids()).optAttentionMask(b.tokens().attentionMask())
                .optTraining(training)).logits();
    }

    /**
     * Per-position {@code KL(U ‖ softmax(z))} {@code [B, T]}: exactly 0 for uniform logits, positive otherwise.
     */
    public static NDArray uniformKl(NDArray logits) {
        long vocab = logits.getShape().get(logits.getShape().dimension() - 1);
        NDArray meanLogP = logits.logSoftmax(-1).mean(new int[] {-1});
        return Scalars.sub(meanLogP.neg(), Math.log(vocab));
    }

    /**
     * The flat loss over {@code logits [B, T, V]}.
     *
     * @param labels {@code [B, T]} with −100 on unlabelled positions (used by {@link RetainLossMode#MASKED} only:
     *     position t counts when label t+1 is set)
     */
    public static NDArray uniformLoss(NDArray logits, NDArray labels, RetainLossMode mode) {
        NDArray kl = uniformKl(logits);
        if (mode == RetainLossMode.FAITHFUL) {
            return kl.mean();
        }
        long t = kl.getShape().get(1);
        NDArray predictsLabel = labels.get(":, 1:").neq(TokenLogProbs.IGNORE).toType(DataType.FLOAT32, false);
        NDArray sum = kl.get(":, :{}", t - 1).mul(predictsLabel).sum();
        NDArray count = predictsLabel.sum().maximum(Scalars.scalar(predictsLabel, 1));
        return sum.div(count);
    }

}

package dev.lethe.core.lm;

import dev.lethe.core.util.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Log-probabilities of the labelled next tokens, with the Hugging Face shift: the logits at position t
 * score the label at position t+1, and labels of −100 are not scored.
 *
 * <p>Uses {@code gather} along the vocabulary axis rather than DJL's pick, whose 2-D index is broken.
 *
 * @param logProbs {@code [B, T−1]} log p(label_{t+1} | ≤ t); 0 where not scored
 * @param mask {@code [B, T−1]} float, 1 where scored
 */
public record TokenLogProbs(NDArray logProbs, NDArray mask) {

    public static final int IGNORE = -100;

    /**
     * @param logits {@code [B, T, V]}
     * @param labels {@code [B, T]} int64 with {@link #IGNORE} on unscored positions
     */
    public static TokenLogProbs of(NDArray logits, NDArray labels) {
        long t = logits.getShape().get(1);
        NDArray shiftedLogits = logits.get(":, :{}, :", t - 1);
        NDArray target = labels.get(":, 1:").toType(DataType.INT64, false);
        NDArray mask = target.neq(IGNORE);
        NDArray safeTarget = target.mul(mask.toType(DataType.INT64, false)); // −100 → 0, masked below
        NDArray logp = shiftedLogits.logSoftmax(-1).gather(safeTarget.expandDims(-1), -1).squeeze(-1);
        NDArray maskF = mask.toType(DataType.FLOAT32, false);
        return new TokenLogProbs(logp.mul(maskF), maskF);
    }

    /**
     * Mean NLL of the labelled next tokens computed from the decoder's final residual stream, applying the
     * final norm and LM head only to scored positions (shifted as in {@link #of}).
     *
     * @param hidden {@code [B, T, d]} before the final norm
     * @param labels {@code [B, T]} with {@link #IGNORE} on unscored positions
     */
    public static NDArray scoredMeanNll(dev.lethe.core.model.Decoder model, NDArray hidden, NDArray labels) {
        NDArray target = nextLabels(labels).flatten();
        NDArray positions = target.neq(IGNORE).nonzero().flatten(); // flat b·T + t of the scored positions
        if (positions.getShape().get(0) == 0) {
            return hidden.sum().mul(Scalars.scalar(hidden, 0)); // nothing scored: zero loss, graph kept
        }
        NDArray logits = model.logitsAt(hidden, positions);
        NDArray picked = target.get(positions).expandDims(-1);
        return logits.logSoftmax(-1).gather(picked, -1).mean().neg();
    }

    /**
     * The label each position predicts, {@code [B, T]} int64: {@code labels[:, t+1]}, and {@link #IGNORE}
     * at the last position (it predicts nothing). Flattened, its scored entries are the flat positions
     * {@link dev.lethe.core.lm.LanguageModel#logitsAt} takes (as {@link ScoredPositions} on the host).
     */
    private static NDArray nextLabels(NDArray labels) {
        long b = labels.getShape().get(0);
        NDArray shifted = labels.get(":, 1:").toType(DataType.INT64, false);
        NDArray last = labels.getManager().full(new Shape(b, 1), IGNORE, DataType.INT64);
        return shifted.concat(last, 1);
    }

    /** Sum of log-probs per row {@code [B]}. */
    public NDArray sumPerRow() {
        return logProbs.sum(new int[] {1});
    }

    /** Scored tokens per row {@code [B]}. */
    public NDArray countPerRow() {
        return mask.sum(new int[] {1});
    }

    /** Mean negative log-likelihood per row {@code [B]} (0 for a row with nothing scored). */
    public NDArray meanNllPerRow() {
        return sumPerRow().neg().div(Scalars.scalar(mask, 1).maximum(countPerRow()));
    }

    /** Mean NLL over every scored token of the batch: the language-modelling loss. */
    public NDArray meanNll() {
        return logProbs.sum().neg().div(mask.sum().maximum(Scalars.scalar(mask, 1)));
    }
}

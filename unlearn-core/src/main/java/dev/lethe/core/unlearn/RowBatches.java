package dev.lethe.core.unlearn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.lm.TokenLogProbs;
import dev.lethe.core.train.LmBatch;

import java.util.List;

/**
 * Right-pads rows into an {@link LmBatch}: pad id on the right, attention 0 and label −100 there.
 *
 * <p>Attention follows the row lengths, not the ids: a real EOS equal to the pad id keeps attention 1. (OU's
 * collator sets {@code attention = ids != pad}, which also hides in-sequence EOS when pad = EOS; for training
 * the length-based mask is the intended one, so that quirk is not reproduced here.)
 */
public final class RowBatches {

    private RowBatches() {}

    public static LmBatch pad(List<LabeledRow> rows, long padId, NDManager manager) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("cannot build a batch of no rows");
        }
        int b = rows.size();
        int t = rows.stream().mapToInt(LabeledRow::length).max().orElseThrow();
        long[][] ids = new long[b][t];
        long[][] mask = new long[b][t];
        long[] labels = new long[b * t];
        int[] prompts = new int[b];
        for (int i = 0; i < b; i++) {
            LabeledRow r = rows.get(i);
            long[] rowIds = r.idsUnsafe();
            long[] rowLabels = r.labelsUnsafe();
            for (int j = 0; j < t; j++) {
                boolean real = j < rowIds.length;
                ids[i][j] = real ? rowIds[j] : padId;
                mask[i][j] = real ? 1 : 0;
                labels[i * t + j] = real ? rowLabels[j] : TokenLogProbs.IGNORE;
            }
            prompts[i] = r.promptLength();
        }
        TokenBatch tokens = TokenBatch.of(manager, ids, mask, prompts);
        NDArray labelArray = manager.create(labels, new Shape(b, t));
        return new LmBatch(tokens, labelArray);
    }
}

package dev.lethe.core.text;

import java.util.Arrays;
import java.util.List;

/**
 * Pads encodings into rectangular batches (open-unlearning's collator, tofu-eval §1.4): right padding for
 * scoring and training, left padding for generation (so every row's next token lands in the last column).
 *
 * <p>The attention mask comes from the true lengths, not from {@code ids != pad}: when pad = EOS,
 * open-unlearning's mask also zeroes EOS tokens inside sequences; Lethe does not copy that quirk.
 */
public final class Collator {

    private final int padId;

    public Collator(int padId) {
        this.padId = padId;
    }

    public static Collator of(TextTokenizer tokenizer) {
        return new Collator(tokenizer.padId());
    }

    public int padId() {
        return padId;
    }

    /** Right-padded batch for scoring/training. */
    public Batch rightPad(List<QaEncoding> items) {
        int width = items.stream().mapToInt(QaEncoding::length).max().orElse(0);
        int n = items.size();
        long[][] ids = new long[n][width];
        long[][] labels = new long[n][width];
        long[][] mask = new long[n][width];
        long[][] pos = new long[n][width];
        int[] lengths = new int[n];
        for (int b = 0; b < n; b++) {
            QaEncoding e = items.get(b);
            Arrays.fill(ids[b], padId);
            Arrays.fill(labels[b], QaEncoding.IGNORE);
            for (int t = 0; t < e.length(); t++) {
                ids[b][t] = e.ids()[t];
                labels[b][t] = e.labels()[t];
                mask[b][t] = 1;
                pos[b][t] = t;
            }
            lengths[b] = e.length();
        }
        return new Batch(ids, labels, mask, pos, lengths, false);
    }

    /** Left-padded batch of prompts for generation; labels equal ids on real tokens. */
    public Batch leftPad(List<int[]> prompts) {
        int width = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        int n = prompts.size();
        long[][] ids = new long[n][width];
        long[][] labels = new long[n][width];
        long[][] mask = new long[n][width];
        long[][] pos = new long[n][width];
        int[] lengths = new int[n];
        for (int b = 0; b < n; b++) {
            int[] p = prompts.get(b);
            int off = width - p.length;
            Arrays.fill(ids[b], padId);
            Arrays.fill(labels[b], QaEncoding.IGNORE);
            for (int t = 0; t < p.length; t++) {
                ids[b][off + t] = p[t];
                labels[b][off + t] = p[t];
                mask[b][off + t] = 1;
                pos[b][off + t] = t;
            }
            lengths[b] = p.length;
        }
        return new Batch(ids, labels, mask, pos, lengths, true);
    }
}

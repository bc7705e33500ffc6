package dev.lethe.core.lm;

import java.util.Arrays;

/**
 * The labelled positions of a right-padded {@code [B][T]} label array, with the Hugging Face shift: position
 * t predicts {@code labels[t+1]}, and {@link TokenLogProbs#IGNORE} is not scored. Row by row, in order, as
 * {@link LanguageModel#logitsAt} takes them.
 *
 * @param positions flat {@code b·T + t} of every scored position
 * @param targets the label each of them predicts
 * @param perRow how many scored positions each row has (row b's are the next {@code perRow[b]} entries)
 */
public record ScoredPositions(long[] positions, long[] targets, int[] perRow) {

    public static ScoredPositions of(long[][] labels) {
        int b = labels.length;
        int width = b == 0 ? 0 : labels[0].length;
        long[] positions = new long[b * Math.max(0, width - 1)];
        long[] targets = new long[positions.length];
        int[] perRow = new int[b];
        int n = 0;
        for (int r = 0; r < b; r++) {
            for (int t = 0; t + 1 < width; t++) {
                if (labels[r][t + 1] != TokenLogProbs.IGNORE) {
                    positions[n] = (long) r * width + t;
                    targets[n++] = labels[r][t + 1];
                    perRow[r]++;
                }
            }
        }
        return new ScoredPositions(Arrays.copyOf(positions, n), Arrays.copyOf(targets, n), perRow);
    }

    /** Scored positions in all. */
    public int count() {
        return positions.length;
    }
}

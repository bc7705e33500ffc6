package dev.lethe.core.text;

/**
 * A padded batch, shape {@code [B, T]} for every array. {@code labels} is −100 on padding and on masked
 * positions; {@code attentionMask} is 1 on real tokens, 0 on padding; {@code positionIds} count real tokens
 * from 0 (left padding shifts them so the first real token is at position 0; padding gets 0).
 * {@code lengths[b]} is the number of real tokens of row b.
 */
public record Batch(long[][] ids, long[][] labels, long[][] attentionMask, long[][] positionIds, int[] lengths,
                    boolean leftPadded) {

    public int size() {
        return ids.length;
    }

    public int width() {
        return ids.length == 0 ? 0 : ids[0].length;
    }
}

package dev.lethe.datasets.augment;

import java.util.List;

/**
 * An augmented sequence. {@code lossMask[t]} = 1 when token t is scored as a label (predicted from tokens
 * before t); position 0 is never a label. {@code chunks} lists the content spans in stream order (empty when
 * the sample was left unchanged).
 */
public record UtkSample(int[] tokens, int[] lossMask, List<ChunkSpan> chunks, boolean augmented) {

    public UtkSample {
        tokens = tokens.clone();
        lossMask = lossMask.clone();
        chunks = List.copyOf(chunks);
    }
}

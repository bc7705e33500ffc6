package dev.lethe.datasets.augment;

/** Where chunk {@code chunk} of document {@code doc} landed: its content tokens are {@code [start, end)}. */
public record ChunkSpan(int doc, int chunk, int chunks, int start, int end) {
}

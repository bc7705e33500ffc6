package dev.lethe.core.lm;

import ai.djl.ndarray.NDArray;

/** Incremental decoding state (KV caches) of one {@link LanguageModel} over one prompt batch. */
public interface DecodingSession extends AutoCloseable {

    /** Logits {@code [B, V]} for the next token of every row; owned by the session until the next call. */
    NDArray nextLogits();

    /** Appends one chosen token per row ({@code [B]} int64) and computes the following logits. */
    void append(NDArray tokens);

    @Override
    void close();
}

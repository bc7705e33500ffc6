package dev.lethe.core.lm;

import ai.djl.ndarray.NDArray;

/**
 * A hook between a model's next-token logits and the choice of token: repetition penalties, banned
 * tokens, ULD's plausibility filter. Processors compose in order.
 */
@FunctionalInterface
public interface LogitsProcessor {

    /**
     * @param logits {@code [B, V]} next-token logits
     * @param generated tokens generated so far per row (not including the prompt)
     * @return processed logits, same shape (may be a new array in the same manager)
     */
    NDArray process(NDArray logits, long[][] generated);

    default LogitsProcessor andThen(LogitsProcessor next) {
        return (l, g) -> next.process(process(l, g), g);
    }
}

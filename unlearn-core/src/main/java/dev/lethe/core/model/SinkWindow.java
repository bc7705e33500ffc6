package dev.lethe.core.model;

/**
 * StreamingLLM-style cache layout: keep the first {@code sink} positions and the newest
 * {@code window - 1} ones, so the next query (which brings its own key) sees at most {@code window}
 * recent keys. Middle keys are dropped once, for good: O(1) memory per decoding step.
 */
public record SinkWindow(int sink, int window) {
    public SinkWindow {
        if (sink < 0 || window < 1) {
            throw new IllegalArgumentException("need sink >= 0 and window >= 1, got " + sink + ", " + window);
        }
    }

    /** Keys kept between passes. */
    public int capacity() {
        return sink + window - 1;
    }
}

package dev.lethe.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The loss of one micro-batch, as a function of the model outputs the objective computes itself. Plain
 * language modelling, every unlearning baseline and ULD's assistant loss are objectives over the same
 * training loop.
 *
 * @param <B> the batch type (a token batch, a forget/retain pair, …)
 */
@FunctionalInterface
public interface Objective<B> {

    /**
     * @param batch the micro-batch, its arrays in {@code step}
     * @param step the per-step manager: every array created here is freed after the update
     */
    Loss compute(B batch, NDManager step);

    /**
     * @param value scalar loss to minimise
     * @param tokens input tokens processed (for throughput)
     */
    record Loss(NDArray value, long tokens) {}
}

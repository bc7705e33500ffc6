package dev.lethe.core.unlearn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** One scalar term of an unlearning loss (the forget term or the retain term), computed in the step manager. */
@FunctionalInterface
public interface LossTerm {

    NDArray compute(ForgetRetainBatch batch, NDManager step);
}

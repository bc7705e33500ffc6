package dev.lethe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Supplies the initial value of every decoder tensor, by Hugging Face name. A seeded random initialiser
 * and the checkpoint loader are the two implementations; the decoder asks for each tensor exactly once,
 * in HF order, and the returned array is owned by {@code manager}.
 */
@FunctionalInterface
public interface WeightSource {

    NDArray tensor(String hfName, Shape shape, NDManager manager);

    /** Called after the last tensor; a checkpoint source reports tensors it holds that nobody asked for. */
    default void finish() {}
}

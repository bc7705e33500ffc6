package dev.lethe.core.train;

import ai.djl.ndarray.NDManager;

/**
 * Batches by index. A source must return the same batch for the same index on every call, so training
 * is reproducible and a resumed run sees exactly the batches the interrupted one would have.
 */
@FunctionalInterface
public interface BatchSource<B> {

    /** The {@code index}-th micro-batch (optimizer step × accumulation + micro step), built in {@code manager}. */
    B batch(long index, NDManager manager);
}

package dev.lethe.core.unlearn;

import dev.lethe.core.train.LmBatch;

/**
 * One micro-batch of an unlearning run: forget rows, the retain row paired with each, and (when the data has
 * them) an alternative answer per forget row. Arrays live in the step manager that built the batch.
 *
 * @param forget right-padded forget rows
 * @param retain the paired retain rows, or null when the retain set is empty
 * @param alternative the chosen alternative rows, or null when the data has none
 * @param forgetIndices index into {@link UnlearningData#forget()} of every row (provenance, tests)
 * @param retainIndices index into {@link UnlearningData#retain()} of every paired row (empty when no retain)
 */
public record ForgetRetainBatch(LmBatch forget, LmBatch retain, LmBatch alternative, int[] forgetIndices,
                                int[] retainIndices) {

    public int size() {
        return forgetIndices.length;
    }

    LmBatch requireRetain(String who) {
        if (retain == null) {
            throw new IllegalStateException(who + " needs retain rows, but the retain set is empty");
        }
        return retain;
    }

    LmBatch requireAlternative(String who) {
        if (alternative == null) {
            throw new IllegalStateException(who + " needs an alternative answer per forget row "
                    + "(UnlearningData.alternatives), but the data has none");
        }
        return alternative;
    }
}

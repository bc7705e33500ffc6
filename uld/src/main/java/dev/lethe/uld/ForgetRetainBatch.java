package dev.lethe.uld;

import dev.lethe.core.train.LmBatch;

/**
 * One micro-batch split by the reference's {@code retainlabels} flag: the forget rows and the retain rows, each
 * right-padded on its own. Either side may be {@code null} when the micro-batch holds none of its rows (an
 * empty sub-batch contributes 0 to the loss).
 */
public record ForgetRetainBatch(LmBatch forget, LmBatch retain) {

    public ForgetRetainBatch {
        if (forget == null && retain == null) {
            throw new IllegalArgumentException("a micro-batch needs at least one row");
        }
    }

    public int forgetRows() {
        return forget == null ? 0 : forget.tokens().batchSize();
    }

    public int retainRows() {
        return retain == null ? 0 : retain.tokens().batchSize();
    }
}

package dev.lethe.uld;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.lethe.core.util.Scalars;

/**
 * The reference's {@code relative_top_filter} (uld.md §6.1): which tokens the target finds plausible at a
 * position.
 * <pre>
 *   ℓ = log_softmax(z_target);  k = ⌊r·V⌋
 *   τ = min(k-th largest ℓ, max ℓ + ln r)
 *   plausible = {v : ℓ_v ≥ τ} = (top-k by ℓ, ties at the k-th value included) ∪ {v : ℓ_v ≥ max ℓ + ln r}
 * </pre>
 * When {@code r·V < 1} the top-k part is empty and only the relative threshold counts (the argmax is always
 * plausible since ln r &lt; 0). The reference would index {@code sorted[..., -1]} there and keep every token — a
 * Python negative-index accident, not a design; Lethe does not copy it. {@code r = 0} means "no filter" and is
 * handled by {@link LogitDifferenceModel}, not here.
 */
public final class PlausibilityFilter {

    private final double rate;

    /** @param rate r in (0, 1] */
    public PlausibilityFilter(double rate) {
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException("filter rate must be in (0, 1], got " + rate);
        }
        this.rate = rate;
    }

    public double rate() {
        return rate;
    }

    /** k = ⌊r·V⌋ in double arithmetic, as Python's {@code int(r * V)} (0 when r·V &lt; 1). */
    public int topCount(long vocab) {
        return (int) Math.floor(rate * vocab);
    }

    /**
     * @param targetLogits {@code [..., V]}
     * @return boolean {@code [..., V]}, true where plausible; in {@code targetLogits}' manager
     */
    public NDArray plausible(NDArray targetLogits) {
        Shape shape = targetLogits.getShape();
        long vocab = shape.get(shape.dimension() - 1);
        NDArray flat = targetLogits.reshape(-1, vocab);
        NDArray logp = flat.logSoftmax(1);
        NDArray threshold = Scalars.add(logp.max(new int[] {1}, true), Math.log(rate));
        int k = topCount(vocab);
        if (k >= 1) {
            NDArray kth = logp.topK(Math.min(k, (int) vocab), 1, true, true).get(0)
                    .get(":, {}", Math.min(k, (int) vocab) - 1).reshape(-1, 1);
            threshold = threshold.minimum(kth);
        }
        return logp.gte(threshold).reshape(shape);
    }
}

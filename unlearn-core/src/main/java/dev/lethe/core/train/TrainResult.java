package dev.lethe.core.train;

import java.util.List;

/**
 * What a training run did.
 *
 * @param losses loss of every completed optimizer step (mean over its micro-batches)
 * @param gradNorms global gradient norm before clipping, per step
 * @param stepSeconds wall time of every step
 * @param tokens input tokens processed
 * @param stoppedAt the step whose loss or gradient was not finite, or -1 when the run completed; the
 *     weights then are those after the last good step (the bad update is never applied)
 * @param message human-readable reason for stopping early, or null
 */
public record TrainResult(List<Double> losses, List<Double> gradNorms, List<Double> stepSeconds, long tokens,
                          int stoppedAt, String message) {

    public boolean completed() {
        return stoppedAt < 0;
    }

    public double finalLoss() {
        return losses.isEmpty() ? Double.NaN : losses.get(losses.size() - 1);
    }

    /** Median step time, excluding the first two (warm-up) steps when there are more than four. */
    public double medianStepSeconds() {
        List<Double> s = stepSeconds.size() > 4 ? stepSeconds.subList(2, stepSeconds.size()) : stepSeconds;
        double[] a = s.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (a.length == 0) {
            return Double.NaN;
        }
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}

package dev.lethe.eval.metrics.engine;

import dev.lethe.eval.metrics.MiaScores;
import dev.lethe.eval.metrics.PrivLeak;

/**
 * Tunables of the TOFU metric set, defaulting to OU's TOFU configs.
 *
 * @param minKFraction      k of Min-K% and Min-K%++ (OU TOFU/MUSE configs: 0.4)
 * @param privleakRetainAuc retain AUC privleak uses when no retain log is given (0.5)
 */
public record MetricParams(double minKFraction, double privleakRetainAuc) {

    public static MetricParams defaults() {
        return new MetricParams(MiaScores.DEFAULT_K, PrivLeak.DEFAULT_RETAIN_AUC);
    }
}

package dev.lethe.eval.metrics;

import java.util.List;

/**
 * Truth ratio (spec §2.4): {@code R = GeoMean_j p̄(wrong_j) / p̄(correct)}, "wrong over correct".
 *
 * <p>The geometric mean is what TF's {@code aggregate_eval_stat.py} and OU use (OU averages the wrong
 * answers' avg-losses, then exponentiates); the paper's arithmetic mean is not implemented on purpose.
 * "correct" is {@code paraphrased_answer} for forget/retain and {@code answer} for real authors and
 * world facts; the caller picks which score it passes.
 */
public final class TruthRatio {

    /** OU's guard in {@code wrong_prob / (correct_prob + 1e-10)} and {@code 1/(arr + 1e-10)}. */
    public static final double EPS = 1e-10;

    /** The three aggregators of OU's {@code truth_ratio} handler. */
    public enum Aggregator {
        /** Forget set: {@code mean min(R, 1/(R+1e-10))}; 1 = true and false answers equally likely. */
        CLOSER_TO_1_BETTER("closer_to_1_better"),
        /** Retain, real authors, world facts: {@code mean max(0, 1 − R)}. */
        TRUE_BETTER("true_better"),
        /** OU meta-evaluation: per-item values are {@code p̄_c/(p̄_c+p̄_w+1e-10)}; aggregate is their mean. */
        PROB_MEAN("prob_mean");

        private final String configName;

        Aggregator(String configName) {
            this.configName = configName;
        }

        /** The name used in OU's yaml ({@code aggregator: ...}). */
        public String configName() {
            return configName;
        }

        /** Aggregates per-item values produced by {@link #perItem(double, double[])} for this mode. */
        public double aggregate(double[] values) {
            double[] v = new double[values.length];
            for (int i = 0; i < values.length; i++) {
                double r = values[i];
                v[i] = switch (this) {
                    case CLOSER_TO_1_BETTER -> Math.min(r, 1 / (r + EPS));
                    case TRUE_BETTER -> Math.max(0, 1 - r);
                    case PROB_MEAN -> r;
                };
            }
            return Stats.mean(v);
        }

        /**
         * Per-item value stored in {@code value_by_index[i].score}: R for the TOFU modes,
         * {@code p̄_c/(p̄_c + p̄_w + 1e-10)} for {@link #PROB_MEAN}.
         */
        public double perItem(double correctAvgLoss, double[] wrongAvgLosses) {
            double correct = Math.exp(-correctAvgLoss);
            double wrong = Math.exp(-Stats.mean(wrongAvgLosses));
            return this == PROB_MEAN ? correct / (correct + wrong + EPS) : wrong / (correct + EPS);
        }

        public static Aggregator byConfigName(String name) {
            for (Aggregator a : values()) {
                if (a.configName.equals(name)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("unknown truth-ratio aggregator '" + name
                    + "' (expected closer_to_1_better, true_better or prob_mean)");
        }
    }

    private TruthRatio() { }

    /** OU's per-item R from avg-losses: {@code exp(−mean_j ℓ_wj) / (exp(−ℓ_c) + 1e-10)}. */
    public static double ratio(double correctAvgLoss, double[] wrongAvgLosses) {
        return Aggregator.CLOSER_TO_1_BETTER.perItem(correctAvgLoss, wrongAvgLosses);
    }

    public static double ratio(AnswerScore correct, List<AnswerScore> wrong) {
        return ratio(correct.avgLoss(), wrong.stream().mapToDouble(AnswerScore::avgLoss).toArray());
    }

    /**
     * TF legacy per-item R, {@code exp(ℓ_c − mean_j ℓ_wj)} with no epsilon: what TF stores as
     * {@code truth_ratio} in its eval logs and what {@code aggregate_eval_stat.py} inverts.
     */
    public static double legacyRatio(double correctAvgLoss, double[] wrongAvgLosses) {
        return Math.exp(correctAvgLoss - Stats.mean(wrongAvgLosses));
    }
}

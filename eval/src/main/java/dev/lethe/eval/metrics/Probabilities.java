package dev.lethe.eval.metrics;

import java.util.List;

/** TOFU's probability metrics (§2.1, §2.2 of the spec), from per-sample {@link AnswerScore}s. */
public final class Probabilities {

    /** Guard in OU's {@code probability_w_options}; kept so values match to the last digit. */
    public static final double OPTIONS_EPS = 1e-10;

    private Probabilities() { }

    /** Normalised 4-way score {@code p̄_c / (p̄_c + Σ_j p̄_wj + 1e-10)} of one multiple-choice item. */
    public static double normalised(double correctProb, double[] wrongProbs) {
        double wrong = 0;
        for (double w : wrongProbs) {
            wrong += w;
        }
        return correctProb / (correctProb + wrong + OPTIONS_EPS);
    }

    /** As {@link #normalised(double, double[])}, from the answers' scores. */
    public static double normalised(AnswerScore correct, List<AnswerScore> wrong) {
        double[] w = new double[wrong.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = wrong.get(i).prob();
        }
        return normalised(correct.prob(), w);
    }
}

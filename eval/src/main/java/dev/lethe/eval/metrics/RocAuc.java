package dev.lethe.eval.metrics;

import java.util.Arrays;

/**
 * ROC-AUC as {@code sklearn.metrics.roc_auc_score} for binary labels: the Mann–Whitney statistic,
 * ties between a positive and a negative counting one half (sklearn's trapezoidal ROC over tied
 * thresholds gives exactly that).
 */
public final class RocAuc {

    private RocAuc() { }

    /** AUC = P(s_pos > s_neg) + ½·P(s_pos = s_neg). */
    public static double auc(double[] negativeScores, double[] positiveScores) {
        int nNeg = negativeScores.length;
        int nPos = positiveScores.length;
        if (nNeg == 0 || nPos == 0) {
            // sklearn raises: "Only one class present in y_true. ROC AUC score is not defined".
            throw new IllegalArgumentException("ROC AUC needs both classes; got " + nNeg
                    + " negatives and " + nPos + " positives");
        }
        int n = nNeg + nPos;
        double[] all = new double[n];
        boolean[] positive = new boolean[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < nNeg; i++) {
            all[i] = requireFinite(negativeScores[i], "negative", i);
        }
        for (int i = 0; i < nPos; i++) {
            all[nNeg + i] = requireFinite(positiveScores[i], "positive", i);
            positive[nNeg + i] = true;
        }
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(all[a], all[b]));
        double positiveRankSum = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && all[order[j + 1]] == all[order[i]]) {
                j++;
            }
            double midRank = (i + j) / 2.0 + 1; // 1-based average rank of the tie group
            for (int t = i; t <= j; t++) {
                if (positive[order[t]]) {
                    positiveRankSum += midRank;
                }
            }
            i = j + 1;
        }
        double u = positiveRankSum - (double) nPos * (nPos + 1) / 2.0;
        return u / ((double) nPos * nNeg);
    }

    /**
     * OU's MIA convention: forget = label 0, holdout = label 1, scores loss-like; 1 means the forget
     * set still looks like training data, 0.5 means indistinguishable.
     */
    public static double forgetVsHoldout(double[] forgetScores, double[] holdoutScores) {
        return auc(forgetScores, holdoutScores);
    }

    private static double requireFinite(double v, String cls, int i) {
        if (Double.isNaN(v)) {
            // sklearn rejects NaN input ("Input contains NaN").
            throw new IllegalArgumentException(cls + " score " + i + " is NaN");
        }
        return v;
    }
}

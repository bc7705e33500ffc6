package dev.lethe.eval.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code RougeScorer(["rouge1", "rougeL"], use_stemmer=True)} from Google's rouge_score.
 *
 * <p>Argument order follows rouge_score's {@code score(target, prediction)}: TOFU passes the ground
 * truth as target and the generation as prediction, so recall is normalised by the ground-truth length.
 * ROUGE-L is the sentence-level LCS variant (not rougeLsum). Thread-safe.
 */
public final class Rouge {

    private final RougeTokenizer tokenizer;

    /** The scorer TOFU and open-unlearning use (Porter stemming on). */
    public Rouge() {
        this(RougeTokenizer.stemming());
    }

    public Rouge(RougeTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Scores {@code prediction} against {@code target} (ground truth). */
    public RougeScores score(String target, String prediction) {
        List<String> t = tokenizer.tokenize(target);
        List<String> p = tokenizer.tokenize(prediction);
        return new RougeScores(rouge1(t, p), rougeL(t, p));
    }

    /** ROUGE-L recall of {@code generation} against {@code groundTruth}: TOFU's per-item ROUGE. */
    public double rougeLRecall(String groundTruth, String generation) {
        return score(groundTruth, generation).rougeL().recall();
    }

    /** Clipped unigram overlap, rouge_score's {@code _score_ngrams} with n = 1. */
    public static RougeScore rouge1(List<String> target, List<String> prediction) {
        Map<String, Integer> predCounts = new HashMap<>();
        for (String s : prediction) {
            predCounts.merge(s, 1, Integer::sum);
        }
        Map<String, Integer> targetCounts = new HashMap<>();
        for (String s : target) {
            targetCounts.merge(s, 1, Integer::sum);
        }
        int overlap = 0;
        for (Map.Entry<String, Integer> e : targetCounts.entrySet()) {
            overlap += Math.min(e.getValue(), predCounts.getOrDefault(e.getKey(), 0));
        }
        // rouge_score divides by max(count, 1), so empty inputs give 0 rather than NaN.
        double precision = (double) overlap / Math.max(prediction.size(), 1);
        double recall = (double) overlap / Math.max(target.size(), 1);
        return RougeScore.of(precision, recall);
    }

    /** LCS-based ROUGE-L, rouge_score's {@code _score_lcs}; either side empty gives all zeros. */
    public static RougeScore rougeL(List<String> target, List<String> prediction) {
        if (target.isEmpty() || prediction.isEmpty()) {
            return RougeScore.ZERO;
        }
        int lcs = lcsLength(target, prediction);
        return RougeScore.of((double) lcs / prediction.size(), (double) lcs / target.size());
    }

    /** Length of the longest common subsequence; O(|a|·|b|) time, O(|b|) memory. */
    public static int lcsLength(List<String> a, List<String> b) {
        int[] prev = new int[b.size() + 1];
        int[] cur = new int[b.size() + 1];
        for (int i = 1; i <= a.size(); i++) {
            String ai = a.get(i - 1);
            for (int j = 1; j <= b.size(); j++) {
                cur[j] = ai.equals(b.get(j - 1)) ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
            }
            int[] tmp = prev;
            prev = cur;
            cur = tmp;
        }
        return prev[b.size()];
    }
}

package dev.lethe.core.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Teacher-forced scoring: per-token log-probabilities of the labelled positions of a right-padded batch,
 * their sum and mean NLL per example, and optionally per-token statistics of the full next-token
 * distribution (mean and standard deviation of log p over the vocabulary, which Min-K%++ needs) —
 * everything TOFU's probability, truth ratio and MIA metrics are built from.
 */
public final class Scorer {

    private final LanguageModel model;
    private boolean vocabStats;

    public Scorer(LanguageModel model) {
        this.model = model;
    }

    /** Also compute μ = E_p[log p] and σ = sqrt(Var_p[log p]) of each scored position's distribution. */
    public Scorer optVocabStats(boolean on) {
        this.vocabStats = on;
        return this;
    }

    /**
     * Scores of one example.
     *
     * @param tokenLogProbs log p of each scored label, in order
     * @param targets the scored label ids, in order
     * @param vocabMean per scored token, E_p[log p] over the vocabulary (empty unless asked for)
     * @param vocabStd per scored token, its standard deviation (empty unless asked for)
     */
    public record Result(float[] tokenLogProbs, long[] targets, float[] vocabMean, float[] vocabStd) {
        public double sumLogProb() {
            double s = 0;
            for (float v : tokenLogProbs) {
                s += v;
            }
            return s;
        }

        public int count() {
            return tokenLogProbs.length;
        }

        /** Mean negative log-likelihood; NaN when nothing is scored (OU reports None then). */
        public double meanNll() {
            return count() == 0 ? Double.NaN : -sumLogProb() / count();
        }

        /** TOFU's per-item probability p̄ = exp(−mean NLL). */
        public double probability() {
            return Math.exp(-meanNll());
        }
    }

    /**
     * @param ids right-padded ids {@code [B][T]}
     * @param mask attention mask (1 = token)
     * @param labels {@code [B][T]} with {@link TokenLogProbs#IGNORE} where not scored
     */
    public List<Result> score(long[][] ids, long[][] mask, long[][] labels) {
        int b = ids.length;
        ScoredPositions scored = ScoredPositions.of(labels);
        long[] targets = scored.targets();
        float[] lp = new float[0];
        float[] mu = new float[0];
        float[] sd = new float[0];
        if (scored.count() > 0) {
            try (NDManager m = model.manager().newSubManager()) {
                TokenBatch batch = TokenBatch.of(m, ids, mask, TokenBatch.promptLengthsFromLabels(labels));
                // only the scored positions go through the LM head (models that can skip the rest do)
                NDArray logp = model.logitsAt(batch, m.create(scored.positions())).logSoftmax(-1); // [N, V]
                lp = logp.gather(m.create(targets).expandDims(-1), -1).toFloatArray();
                if (vocabStats) {
                    NDArray p = logp.exp();
                    NDArray mean = p.mul(logp).sum(new int[] {-1});
                    NDArray second = p.mul(logp.square()).sum(new int[] {-1});
                    mu = mean.toFloatArray();
                    sd = second.sub(mean.square()).maximum(0f).sqrt().toFloatArray();
                }
            }
        }
        List<Result> out = new ArrayList<>(b);
        int from = 0;
        for (int r = 0; r < b; r++) {
            int to = from + scored.perRow()[r];
            out.add(new Result(Arrays.copyOfRange(lp, from, to), Arrays.copyOfRange(targets, from, to),
                    vocabStats ? Arrays.copyOfRange(mu, from, to) : new float[0],
                    vocabStats ? Arrays.copyOfRange(sd, from, to) : new float[0]));
            from = to;
        }
        return out;
    }

    /** Scores unpadded rows in batches of {@code batchSize}, padding each batch on the right with {@code pad}. */
    public List<Result> scoreRows(List<long[]> rows, List<long[]> labelRows, int batchSize, long pad) {
        List<Result> out = new ArrayList<>(rows.size());
        for (int start = 0; start < rows.size(); start += batchSize) {
            int end = Math.min(rows.size(), start + batchSize);
            int len = 0;
            for (int i = start; i < end; i++) {
                len = Math.max(len, rows.get(i).length);
            }
            int n = end - start;
            long[][] ids = new long[n][len];
            long[][] mask = new long[n][len];
            long[][] labels = new long[n][len];
            for (int i = 0; i < n; i++) {
                long[] r = rows.get(start + i);
                long[] l = labelRows.get(start + i);
                java.util.Arrays.fill(ids[i], pad);
                java.util.Arrays.fill(labels[i], TokenLogProbs.IGNORE);
                System.arraycopy(r, 0, ids[i], 0, r.length);
                System.arraycopy(l, 0, labels[i], 0, l.length);
                java.util.Arrays.fill(mask[i], 0, r.length, 1);
            }
            out.addAll(score(ids, mask, labels));
        }
        return out;
    }
}

package dev.lethe.eval.metrics;

/**
 * Teacher-forced score of one (prompt, target) pair over its label positions L.
 *
 * <p>Everything TOFU derives from a target's likelihood needs only the length-normalised loss:
 * {@code p̄ = exp(−avgLoss) = P(a|q)^{1/|L|}}. The token count is carried for logs and audits.
 *
 * @param avgLoss   mean token NLL over L (includes the closing token and EOS, per the templating rules)
 * @param numTokens |L|
 */
public record AnswerScore(double avgLoss, int numTokens) {

    public AnswerScore {
        if (numTokens < 0) {
            throw new IllegalArgumentException("numTokens must be >= 0, got " + numTokens);
        }
    }

    /** From per-position log-probs {@code log p(y_t | y_<t)} of the labelled positions. */
    public static AnswerScore fromLogProbs(float[] tokenLogProbs) {
        if (tokenLogProbs.length == 0) {
            // OU divides 0 by 0 here; an empty target has no defined score, so refuse it loudly.
            throw new IllegalArgumentException("no labelled positions: the prompt covered the whole sequence");
        }
        double nll = 0;
        for (float lp : tokenLogProbs) {
            nll -= lp;
        }
        return new AnswerScore(nll / tokenLogProbs.length, tokenLogProbs.length);
    }

    /** From a summed NLL (as TF logs' {@code gt_loss}) and the token count. */
    public static AnswerScore fromSum(double nll, int numTokens) {
        if (numTokens <= 0) {
            throw new IllegalArgumentException("numTokens must be > 0 for a summed loss, got " + numTokens);
        }
        return new AnswerScore(nll / numTokens, numTokens);
    }

    /** {@code p̄ = exp(−avgLoss)}, the per-sample "Prob." of TOFU. */
    public double prob() {
        return Math.exp(-avgLoss);
    }
}

package dev.lethe.eval.logs;

/**
 * One item of a legacy TF eval log (all fields per index, as {@code evaluate_util.py} writes them).
 *
 * @param key                  the item's key in the log (TF writes the batch position, "0", "1", ...)
 * @param avgGtLoss            {@code avg_gt_loss}: avg-loss of the answer
 * @param numTokenGt           {@code num_token_gt}, 0 if absent
 * @param avgParaphrasedLoss   {@code avg_paraphrased_loss} (for real authors / world facts TF stores the answer's)
 * @param numTokenParaphrased  {@code num_token_paraphrased}, 0 if absent
 * @param averagePerturbLoss   {@code average_perturb_loss}: avg-loss of each wrong answer
 * @param numTokenPerturb      {@code num_token_perturb}, zeros if absent
 * @param rouge1Recall         {@code rouge1_recall}
 * @param rougeLRecall         {@code rougeL_recall}
 * @param input                {@code generated_text[0]}: the prompt
 * @param generation           {@code generated_text[1]}: the model's answer
 * @param groundTruth          {@code generated_text[2]}: the reference answer
 * @param truthRatio           {@code truth_ratio} as TF stored it (= R, wrong/correct), or null
 */
public record LegacyItem(String key, double avgGtLoss, int numTokenGt, double avgParaphrasedLoss,
                         int numTokenParaphrased, double[] averagePerturbLoss, int[] numTokenPerturb,
                         double rouge1Recall, double rougeLRecall, String input, String generation,
                         String groundTruth, Double truthRatio) { }

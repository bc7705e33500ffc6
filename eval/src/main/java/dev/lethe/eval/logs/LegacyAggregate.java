package dev.lethe.eval.logs;

import dev.lethe.eval.metrics.ForgetQuality;
import dev.lethe.eval.metrics.KsResult;
import dev.lethe.eval.metrics.ModelUtility;
import dev.lethe.eval.metrics.Stats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * TF's {@code aggregate_eval_stat.py} ({@code get_model_utility}, {@code get_forget_quality}),
 * formula for formula, so legacy logs reproduce the published numbers (spec §5.5).
 *
 * <p>Differences from OU that are kept on purpose: no 1e-10 guards; TR per item
 * {@code s = exp(mean ℓ_pert − ℓ_para)} (= 1/R), forget aggregated as {@code mean min(s, 1/s)},
 * others as {@code mean max(0, 1 − 1/s)}; KS fed 1/R (same p-value as R).
 */
public final class LegacyAggregate {

    public static final String MODEL_UTILITY = "Model Utility";
    public static final String FORGET_QUALITY = "Forget Quality";
    public static final String KS_PVALUE = "KS Test PVal Forget";
    public static final String KS_STATISTIC = "KS Test Forget";

    private LegacyAggregate() { }

    /** Per-task Prob., ROUGE, Truth Ratio; "Model Utility" when retain, real authors and world facts are present. */
    public static Map<String, Double> modelUtility(LegacyLog log) {
        Map<String, Double> out = new LinkedHashMap<>();
        List<Double> utility = new ArrayList<>();
        boolean complete = true;
        for (LegacyTask task : LegacyTask.values()) {
            if (!log.has(task)) {
                complete &= task == LegacyTask.FORGET;
                continue;
            }
            LegacySplitLog s = log.require(task);
            double rouge = rouge(s);
            double prob = prob(s);
            double tr = truthRatio(s);
            out.put(task.displayName() + " ROUGE", rouge);
            out.put(task.displayName() + " Prob.", prob);
            out.put(task.displayName() + " Truth Ratio", tr);
            if (task != LegacyTask.FORGET) {
                utility.addAll(List.of(rouge, prob, tr));
            }
        }
        if (complete) {
            out.put(MODEL_UTILITY, ModelUtility.harmonicMean(utility.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        return out;
    }

    /** TF's Prob.: mean p̄ for retain/forget, normalised over the options (no epsilon) otherwise. */
    public static double prob(LegacySplitLog s) {
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            LegacyItem it = s.items().get(i);
            double t = Math.exp(-it.avgGtLoss());
            if (s.task().isQaLog()) {
                v[i] = t;
            } else {
                double all = t;
                for (double l : it.averagePerturbLoss()) {
                    all += Math.exp(-l);
                }
                v[i] = t / all;
            }
        }
        return Stats.mean(v);
    }

    public static double rouge(LegacySplitLog s) {
        return Stats.mean(s.column(LegacyItem::rougeLRecall));
    }

    /** TF's truth-ratio aggregate for this task. */
    public static double truthRatio(LegacySplitLog s) {
        double[] stat = inverseRatios(s);
        double[] v = new double[stat.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = s.task() == LegacyTask.FORGET ? Math.min(stat[i], 1 / stat[i]) : Math.max(0, 1 - 1 / stat[i]);
        }
        return Stats.mean(v);
    }

    /** TF's {@code curr_stat_1 = exp(mean(average_perturb_loss) − avg_paraphrased_loss)} (= 1/R). */
    public static double[] inverseRatios(LegacySplitLog s) {
        double[] out = new double[s.size()];
        for (int i = 0; i < out.length; i++) {
            LegacyItem it = s.items().get(i);
            out[i] = Math.exp(Stats.mean(it.averagePerturbLoss()) - it.avgParaphrasedLoss());
        }
        return out;
    }

    /** TF's {@code get_forget_quality}: KS between the two forget splits' truth ratios. */
    public static KsResult forgetQuality(LegacyLog model, LegacyLog retain) {
        return ForgetQuality.ksTest(inverseRatios(model.require(LegacyTask.FORGET)),
                inverseRatios(retain.require(LegacyTask.FORGET)));
    }

    /** Everything TF's script prints for a run, with FQ when a retain log is given. */
    public static Map<String, Double> all(LegacyLog model, LegacyLog retainOrNull) {
        Map<String, Double> out = modelUtility(model);
        if (retainOrNull != null) {
            KsResult ks = forgetQuality(model, retainOrNull);
            out.put(FORGET_QUALITY, ks.pValue());
            out.put(KS_PVALUE, ks.pValue());
            out.put(KS_STATISTIC, ks.statistic());
        }
        return out;
    }
}

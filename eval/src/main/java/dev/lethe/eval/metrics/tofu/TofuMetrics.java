package dev.lethe.eval.metrics.tofu;

import dev.lethe.eval.metrics.TruthRatio.Aggregator;
import dev.lethe.eval.metrics.engine.MetricRegistry;
import java.util.List;

/**
 * The TOFU metric set under open-unlearning's names and dependency graph
 * (configs/eval/tofu_metrics/*.yaml). Split keys: {@code forget} ({forget}_perturbed), {@code retain}
 * (retain_perturbed), {@code ra} (real_authors_perturbed), {@code wf} (world_facts_perturbed),
 * {@code holdout} (holdoutXX, MIA non-members).
 */
public final class TofuMetrics {

    public static final String FORGET = "forget";
    public static final String RETAIN = "retain";
    public static final String REAL_AUTHORS = "ra";
    public static final String WORLD_FACTS = "wf";
    public static final String HOLDOUT = "holdout";

    public static final String FORGET_TRUTH_RATIO = "forget_Truth_Ratio";
    public static final String FORGET_QUALITY = "forget_quality";
    public static final String MODEL_UTILITY = "model_utility";
    public static final String PRIVLEAK = "privleak";
    public static final String MIA_MIN_K = "mia_min_k";

    /** The nine {@code model_utility} components, in OU's order. */
    public static final List<String> MODEL_UTILITY_COMPONENTS = List.of(
            "retain_Q_A_Prob", "retain_Q_A_ROUGE", "retain_Truth_Ratio",
            "ra_Q_A_Prob_normalised", "ra_Q_A_ROUGE", "ra_Truth_Ratio",
            "wf_Q_A_Prob_normalised", "wf_Q_A_ROUGE", "wf_Truth_Ratio");

    /** OU's {@code eval=tofu} default suite (configs/eval/tofu.yaml). */
    public static final List<String> DEFAULT_SUITE = List.of(
            FORGET_TRUTH_RATIO, FORGET_QUALITY, "forget_Q_A_Prob", "forget_Q_A_ROUGE",
            MODEL_UTILITY, PRIVLEAK, "extraction_strength");

    /** Which reference implementation the truth ratios of real authors / world facts follow. */
    public enum Flavor {
        /** open-unlearning: "correct" = the {@code answer} score ({@code ra_Q_A_Prob}). */
        OPEN_UNLEARNING,
        /**
         * Legacy TOFU: "correct" = the {@code paraphrased} slot, which TF fills by re-scoring the answer
         * in a separate batch ({@code avg_paraphrased_loss}); the two scorings differ slightly in the
         * published logs (up to 0.12 nats), enough to move MU in the 4th digit.
         */
        LEGACY_TOFU
    }

    private TofuMetrics() { }

    /** A fresh registry holding every TOFU metric, open-unlearning flavour. */
    public static MetricRegistry registry() {
        return registry(Flavor.OPEN_UNLEARNING);
    }

    /** A fresh registry holding every TOFU metric in the given flavour. */
    public static MetricRegistry registry(Flavor flavor) {
        MetricRegistry r = new MetricRegistry();
        // forget and retain: correct = paraphrased answer, wrong = 5 perturbed answers.
        for (String s : List.of(FORGET, RETAIN)) {
            r.register(new ProbabilityMetric(s + "_Q_A_Prob", s, AnswerKind.ANSWER));
            r.register(new ProbabilityMetric(s + "_Q_A_PARA_Prob", s, AnswerKind.PARAPHRASED));
            r.register(new ProbabilityMetric(s + "_Q_A_PERT_Prob", s, AnswerKind.PERTURBED));
            r.register(new RougeMetric(s + "_Q_A_ROUGE", s, RougeMetric.ROUGE_L_RECALL));
            r.register(new TruthRatioMetric(s + "_Truth_Ratio", s + "_Q_A_PARA_Prob", s + "_Q_A_PERT_Prob",
                    s.equals(FORGET) ? Aggregator.CLOSER_TO_1_BETTER : Aggregator.TRUE_BETTER));
        }
        // real authors and world facts: correct = answer, wrong = 3 perturbed options.
        for (String s : List.of(REAL_AUTHORS, WORLD_FACTS)) {
            r.register(new ProbabilityMetric(s + "_Q_A_Prob", s, AnswerKind.ANSWER));
            r.register(new ProbabilityMetric(s + "_Q_A_PERT_Prob", s, AnswerKind.PERTURBED));
            r.register(new NormalisedProbabilityMetric(s + "_Q_A_Prob_normalised", s + "_Q_A_Prob", s + "_Q_A_PERT_Prob"));
            r.register(new RougeMetric(s + "_Q_A_ROUGE", s, RougeMetric.ROUGE_L_RECALL));
            String correct = s + (flavor == Flavor.LEGACY_TOFU ? "_Q_A_PARA_Prob" : "_Q_A_Prob");
            if (flavor == Flavor.LEGACY_TOFU) {
                r.register(new ProbabilityMetric(correct, s, AnswerKind.PARAPHRASED));
            }
            r.register(new TruthRatioMetric(s + "_Truth_Ratio", correct, s + "_Q_A_PERT_Prob", Aggregator.TRUE_BETTER));
        }
        r.register(new ForgetQualityMetric(FORGET_QUALITY, FORGET_TRUTH_RATIO));
        r.register(new ModelUtilityMetric(MODEL_UTILITY, MODEL_UTILITY_COMPONENTS));
        r.register(new MiaMetric("mia_loss", MiaAttack.LOSS, FORGET, HOLDOUT));
        r.register(new MiaMetric("mia_zlib", MiaAttack.ZLIB, FORGET, HOLDOUT));
        r.register(new MiaMetric(MIA_MIN_K, MiaAttack.MIN_K, FORGET, HOLDOUT));
        r.register(new MiaMetric("mia_min_k_plus_plus", MiaAttack.MIN_K_PLUS_PLUS, FORGET, HOLDOUT));
        r.register(new MiaMetric("mia_gradnorm", MiaAttack.GRADNORM, FORGET, HOLDOUT));
        r.register(new MiaMetric("mia_reference", MiaAttack.REFERENCE, FORGET, HOLDOUT));
        r.register(new PrivLeakMetric(PRIVLEAK, MIA_MIN_K));
        r.register(new MemorizationMetric("exact_memorization", FORGET, MemorizationMetric.Kind.EXACT_MEMORIZATION));
        r.register(new MemorizationMetric("extraction_strength", FORGET, MemorizationMetric.Kind.EXTRACTION_STRENGTH));
        return r;
    }
}

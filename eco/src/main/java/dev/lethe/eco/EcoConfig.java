package dev.lethe.eco;

import dev.lethe.core.text.ChatTemplate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every setting of an ECO run. Build with {@link #builder()} ({@code opt*} only; all have defaults).
 *
 * <p>Defaults (Lethe design unless noted): a 64/64 classifier with a 3-token window ({@link ClassifierConfig});
 * {@link ClassifierTraining#defaults()}; the <b>conformal</b> gate with miss rate α = 0.1 calibrated on half of
 * the forget paraphrases (the other half measures TPR); entity-token selection; {@code zero_out_top_k} with
 * k = d/2 when no corruption is given (the reference's TOFU function; its tuned k was 0.25–0.6·d); the
 * {@code qa} template; seed 0. The faithful mode is {@code optFixedThreshold(0.99)} (0.9999 for forget10).
 *
 * @param classifierDim embedding width of the classifier
 * @param classifierHidden hidden width of the classifier
 * @param classifierDropout dropout while training it
 * @param classifierMaxLength classifier truncation length
 * @param classifierWindow tokens each per-token score sees ({@link ClassifierConfig#window})
 * @param training classifier training hyperparameters
 * @param mode fixed (faithful) or conformal gate
 * @param tau τ of the fixed gate
 * @param alpha target miss rate of the conformal gate
 * @param beta optional target benign flag rate (NaN: not used), calibrated on held-out retain questions
 * @param calibrationFraction share of the forget paraphrases used to calibrate (the rest measure TPR)
 * @param benignCalibrationFraction share of the retain questions held out of classifier training and checkpoint
 *     selection to calibrate the benign bound β (used only when β is set)
 * @param allowFlagAll accept "flag everything" when the calibration set is too small for α
 * @param selector token selector
 * @param corruption the corruption, or null for {@code zero_out_top_k}, k = d/2
 * @param template the prompt template the target was trained with
 * @param seed seed of splits, initialisation and noise
 */
public record EcoConfig(int classifierDim, int classifierHidden, double classifierDropout, int classifierMaxLength,
                        int classifierWindow, ClassifierTraining training, Threshold.Mode mode, double tau, double alpha, double beta,
                        double calibrationFraction, double benignCalibrationFraction, boolean allowFlagAll, SelectorKind selector, Corruption corruption,
                        ChatTemplate template, long seed) {

    public EcoConfig {
        if (!(calibrationFraction > 0 && calibrationFraction <= 1)) {
            throw new IllegalArgumentException("calibrationFraction must be in (0, 1], got " + calibrationFraction);
        }
        if (!(benignCalibrationFraction > 0 && benignCalibrationFraction < 1)) {
            throw new IllegalArgumentException("benignCalibrationFraction must be in (0, 1), got "
                    + benignCalibrationFraction);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static EcoConfig defaults() {
        return builder().build();
    }

    /** The corruption to use for a target of hidden size {@code d}. */
    public Corruption corruptionFor(int hidden) {
        return corruption != null ? corruption
                : new Corruption(CorruptionType.ZERO_OUT_TOP_K, Math.max(1, hidden / 2), 0, seed);
    }

    /** Flat settings for provenance. */
    public Map<String, String> toMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("classifier.dim", Integer.toString(classifierDim));
        m.put("classifier.hidden", Integer.toString(classifierHidden));
        m.put("classifier.dropout", Double.toString(classifierDropout));
        m.put("classifier.max_length", Integer.toString(classifierMaxLength));
        m.put("classifier.window", Integer.toString(classifierWindow));
        m.put("training", training.toString());
        m.put("gate.mode", mode.name());
        m.put("gate.tau", Double.toString(tau));
        m.put("gate.alpha", Double.toString(alpha));
        m.put("gate.beta", Double.toString(beta));
        m.put("gate.calibration_fraction", Double.toString(calibrationFraction));
        m.put("gate.benign_calibration_fraction", Double.toString(benignCalibrationFraction));
        m.put("gate.allow_flag_all", Boolean.toString(allowFlagAll));
        m.put("selector", selector.name());
        m.put("corruption", corruption == null ? "zero_out_top_k(d/2)" : corruption.toString());
        m.put("template", template.name());
        return m;
    }

    /** Options in DJL's style. */
    public static final class Builder {
        private int dim = 64;
        private int hidden = 64;
        private double dropout = 0.1;
        private int maxLength = 512;
        private int window = 3;
        private double benignFraction = 0.1;
        private ClassifierTraining training = ClassifierTraining.defaults();
        private Threshold.Mode mode = Threshold.Mode.CONFORMAL;
        private double tau = 0.99;
        private double alpha = 0.1;
        private double beta = Double.NaN;
        private double calibrationFraction = 0.5;
        private boolean allowFlagAll;
        private SelectorKind selector = SelectorKind.ENTITIES;
        private Corruption corruption;
        private ChatTemplate template = ChatTemplate.QA;
        private long seed;

        public Builder optClassifierSize(int dim, int hidden) {
            this.dim = dim;
            this.hidden = hidden;
            return this;
        }

        public Builder optClassifierDropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        public Builder optClassifierMaxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        public Builder optClassifierWindow(int window) {
            this.window = window;
            return this;
        }

        public Builder optBenignCalibrationFraction(double fraction) {
            this.benignFraction = fraction;
            return this;
        }

        public Builder optTraining(ClassifierTraining training) {
            this.training = training;
            return this;
        }

        /** Faithful mode: flag iff argmax = forget and p &gt; τ (reference: 0.99; forget10 0.9999). */
        public Builder optFixedThreshold(double tau) {
            this.mode = Threshold.Mode.FIXED;
            this.tau = tau;
            return this;
        }

        /** Conformal mode with target miss rate α (the default, α = 0.1). */
        public Builder optConformal(double alpha) {
            this.mode = Threshold.Mode.CONFORMAL;
            this.alpha = alpha;
            return this;
        }

        /** Also bound the benign flag rate by β (infeasible requests fail). */
        public Builder optFalsePositiveBound(double beta) {
            this.beta = beta;
            return this;
        }

        public Builder optCalibrationFraction(double fraction) {
            this.calibrationFraction = fraction;
            return this;
        }

        public Builder optAllowFlagAll(boolean allow) {
            this.allowFlagAll = allow;
            return this;
        }

        public Builder optSelector(SelectorKind selector) {
            this.selector = selector;
            return this;
        }

        public Builder optCorruption(Corruption corruption) {
            this.corruption = corruption;
            return this;
        }

        public Builder optTemplate(ChatTemplate template) {
            this.template = template;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public EcoConfig build() {
            return new EcoConfig(dim, hidden, dropout, maxLength, window, training.withSeed(seed), mode, tau, alpha,
                    beta, calibrationFraction, benignFraction, allowFlagAll, selector, corruption, template, seed);
        }
    }
}

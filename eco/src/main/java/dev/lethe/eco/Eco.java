package dev.lethe.eco;

import dev.lethe.core.model.Decoder;
import dev.lethe.core.text.LetheTokenizer;
import dev.lethe.core.text.TextTokenizer;
import dev.lethe.core.util.Provenance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * ECO's entry point (eco.md §1): train the prompt classifier, calibrate its threshold, pick the token selector
 * and the corruption (optionally tuned by zeroth-order search), and wrap the untouched target in an
 * {@link EcoModel}.
 */
public final class Eco {

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Eco.class.getName());

    /** Registry name of the method. */
    public static final String NAME = "eco";

    private Eco() {}

    /** ECO with the configured corruption, untuned. */
    public static EcoResult unlearn(Decoder target, EcoData data, EcoConfig config) {
        return unlearn(target, data, config, null);
    }

    /**
     * @param target the model to unlearn from; never modified, owned by the caller and used by the result
     * @param data forget/retain/paraphrase/benign questions and the target's tokenizer
     * @param config settings
     * @param tuning zeroth-order tuning of the corruption's parameter, or null
     */
    public static EcoResult unlearn(Decoder target, EcoData data, EcoConfig config, EcoTuning tuning) {
        long t0 = System.nanoTime();
        TextTokenizer tok = data.tokenizer();
        List<int[]> forget = encode(tok, data.forget());
        List<int[]> retainAll = encode(tok, data.retain());
        // With a benign bound β, a share of the retain questions is kept out of training and checkpoint selection
        // and only calibrates the bound, so the benign scores are exchangeable with unseen retain questions.
        List<int[]> benignCal = List.of();
        List<int[]> retain = retainAll;
        if (!Double.isNaN(config.beta())) {
            List<int[]> shuffled = new ArrayList<>(retainAll);
            Collections.shuffle(shuffled, new Random(config.seed() ^ 0xB5297A4DL));
            int nb = (int) Math.round(shuffled.size() * config.benignCalibrationFraction());
            benignCal = List.copyOf(shuffled.subList(0, nb));
            retain = without(retainAll, benignCal);
        }

        ClassifierConfig cc = new ClassifierConfig(target.config().vocabSize(), config.classifierDim(),
                config.classifierHidden(), config.classifierDropout(), config.classifierMaxLength(), config.seed(),
                config.classifierWindow());
        PromptClassifier classifier = PromptClassifier.random(cc, target.manager());
        try {
            ClassifierTrainer.Fit fit = ClassifierTrainer.train(classifier, forget, retain, config.training());

            // Paraphrases are positives the classifier never saw: one part calibrates, the rest measures TPR.
            List<String> para = new ArrayList<>(data.paraphrasedForget());
            Collections.shuffle(para, new Random(config.seed() ^ 0x5DEECE66DL));
            int nCal = config.mode() == Threshold.Mode.CONFORMAL
                    ? (int) Math.ceil(para.size() * config.calibrationFraction()) : 0;
            List<String> calText = para.subList(0, nCal);
            List<int[]> cal = encode(tok, calText);
            List<int[]> paraTest = encode(tok, para.subList(nCal, para.size()));

            Threshold threshold = config.mode() == Threshold.Mode.FIXED ? Threshold.fixed(config.tau())
                    : ConformalThreshold.calibrate(classifier.margins(cal), config.alpha(), config.allowFlagAll());
            if (!Double.isNaN(config.beta()) && !benignCal.isEmpty()) {
                // A sample of n benign prompts supports no bound tighter than 1/(n+1): small worlds get the
                // tightest bound they can certify rather than a crash (a hair above 1/(n+1), so that
                // k = ⌈(n+1)(1−β)⌉, computed exactly, stays ≤ n).
                double beta = config.beta();
                if (ConformalThreshold.rank(benignCal.size(), beta) > benignCal.size()) {
                    beta = 1.000001 / (benignCal.size() + 1);
                    LOG.warning(String.format("ECO: %d benign calibration prompts cannot certify a false-positive "
                            + "rate of %s; using %.4f", benignCal.size(), config.beta(), beta));
                }
                try {
                    threshold = ConformalThreshold.withFalsePositiveBound(threshold, classifier.margins(benignCal),
                            beta);
                } catch (IllegalStateException infeasible) {
                    // both bounds cannot hold on this classifier: keep the miss-rate guarantee, say so
                    LOG.warning("ECO: " + infeasible.getMessage() + "; keeping the miss-rate (alpha) threshold only");
                }
            }

            Map<String, List<int[]>> pos = new LinkedHashMap<>();
            pos.put("forget_train", without(forget, fit.validationPositives()));
            pos.put("forget_validation", fit.validationPositives());
            pos.put("paraphrased_calibration", cal);
            pos.put("paraphrased_test", paraTest);
            Map<String, List<int[]>> neg = new LinkedHashMap<>();
            neg.put("retain_train", without(retain, fit.validationNegatives()));
            neg.put("retain_validation", fit.validationNegatives());
            if (!benignCal.isEmpty()) {
                neg.put("retain_calibration", benignCal);
            }
            neg.put("real_authors", encode(tok, data.realAuthors()));
            neg.put("world_facts", encode(tok, data.worldFacts()));
            ClassifierReport report = ClassifierReport.measure(classifier, threshold, pos, neg);

            TokenSelector selector = selector(config.selector(), tok, data.entities());
            Corruption corruption = config.corruptionFor(target.config().hiddenSize());
            TemplateStripper stripper = TemplateStripper.of(tok, config.template());
            ZerothOrderTuner.Result tuned = null;
            if (tuning != null) {
                Corruption start = corruption.withTunedParameter(tuning.settings().initial());
                // A non-owning view: the tuner's candidate models never close the classifier.
                EcoModel probe = EcoModel.view(target, classifier, threshold, selector, start, stripper);
                tuned = ZerothOrderTuner.tune(start, probe::withCorruption, tuning.metric(), tuning.target(),
                        tuning.settings());
                corruption = start.withTunedParameter(tuned.best());
            }
            EcoModel model = new EcoModel(target, classifier, threshold, selector, corruption, stripper);
            Path tokFile = tok instanceof LetheTokenizer lt ? lt.file() : null;
            String calSource = config.mode() == Threshold.Mode.FIXED ? "none (fixed threshold)"
                    : "paraphrased_question of the forget split, " + nCal + " of " + para.size();
            return new EcoResult(model, report, fit.bestEpoch(), fit.train().finalLoss(), calSource,
                    Provenance.sha256(String.join("\n", calText).getBytes(StandardCharsets.UTF_8)), tuned,
                    tuning == null ? Double.NaN : tuning.target(), tuning == null ? null : tuning.targetSource(),
                    config, data.inputs(), config.selector() == SelectorKind.ENTITIES ? data.entities() : List.of(),
                    tokFile, (System.nanoTime() - t0) / 1e9);
        } catch (RuntimeException e) {
            classifier.close();
            throw e;
        }
    }

    /** The selector of a kind; ENTITIES without an entity list falls back to the capitalised heuristic. */
    public static TokenSelector selector(SelectorKind kind, TextTokenizer tok, List<String> entities) {
        return switch (kind) {
            case ALL_BUT_LAST -> TokenSelector.allButLast();
            case CAPITALISED -> new EntityTokenSelector(tok, new CapitalisedSpans(), "capitalised");
            case ENTITIES -> entities.isEmpty() ? new EntityTokenSelector(tok, new CapitalisedSpans(), "capitalised")
                    : new EntityTokenSelector(tok, new EntityList(entities), "entities");
        };
    }

    static List<int[]> encode(TextTokenizer tok, List<String> texts) {
        List<int[]> out = new ArrayList<>(texts.size());
        for (String t : texts) {
            out.add(tok.encode(t));
        }
        return out;
    }

    private static List<int[]> without(List<int[]> all, List<int[]> drop) {
        Set<int[]> d = Collections.newSetFromMap(new IdentityHashMap<>());
        d.addAll(drop);
        List<int[]> out = new ArrayList<>();
        for (int[] x : all) {
            if (!d.contains(x)) {
                out.add(x);
            }
        }
        return out;
    }
}

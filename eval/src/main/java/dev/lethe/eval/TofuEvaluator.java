package dev.lethe.eval;

import dev.lethe.core.lm.LanguageModel;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.text.QaEncoder;
import dev.lethe.core.text.QaEncoding;
import dev.lethe.core.text.TextTokenizer;
import dev.lethe.core.util.Provenance;
import dev.lethe.datasets.tofu.MultipleChoiceItem;
import dev.lethe.datasets.tofu.PerturbedQaItem;
import dev.lethe.datasets.tofu.QaItem;
import dev.lethe.datasets.tofu.TofuBenchmark;
import dev.lethe.datasets.tofu.TofuSplits;
import dev.lethe.eval.logs.EvalLogJson;
import dev.lethe.eval.metrics.AnswerScore;
import dev.lethe.eval.metrics.engine.EvalLog;
import dev.lethe.eval.metrics.engine.Generation;
import dev.lethe.eval.metrics.engine.ItemScores;
import dev.lethe.eval.metrics.engine.MetricContext;
import dev.lethe.eval.metrics.engine.MetricRegistry;
import dev.lethe.eval.metrics.engine.SplitData;
import dev.lethe.eval.metrics.tofu.TofuMetrics;
import dev.lethe.eval.TargetScorer.Detail;
import dev.lethe.eval.TargetScorer.Scored;
import dev.lethe.eval.TargetScorer.Target;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * Lethe's TOFU evaluator: runs one {@link LanguageModel} over a TOFU-layout benchmark and computes
 * open-unlearning's metrics ({@link TofuMetrics#registry()}) into an {@link EvalLog}, written as
 * {@code TOFU_EVAL.json} + {@code SUMMARY.json} (+ {@code lethe.json}) when an output directory is set.
 *
 * <p>Data per metric split (spec §2, §2.7): {@code forget} = {@code forgetXX_perturbed} (answer,
 * paraphrased answer, perturbed answers, generation; answer trace for EM/ES/MIA), {@code retain} =
 * {@code retain_perturbed}, {@code ra}/{@code wf} = {@code real_authors_perturbed} /
 * {@code world_facts_perturbed} (falling back to the multiple-choice files: answer vs the other options),
 * {@code holdout} = {@code holdoutXX} (MIA non-members). Only what the requested metrics need is
 * computed; each distinct (question, answer) is scored once and each distinct question generated once.
 *
 * <p>Forget quality needs the retain model's log; without one, {@code forget_quality} is left out of the
 * log (not written as a number), and privleak compares against the default AUC 0.5 as the metric defines.
 */
public final class TofuEvaluator {

    private static final Logger LOG = Logger.getLogger(TofuEvaluator.class.getName());

    /** The valid values of the {@code split} argument. */
    public static final List<String> FORGET_SPLITS = List.of("forget01", "forget05", "forget10");

    private TofuEvaluator() {}

    /** One evaluation item of any split, reduced to the texts the metrics score. */
    private record Item(int index, String question, String answer, String paraphrased, List<String> perturbed) {}

    /** Evaluates and returns the log; see {@link #run} for the timings too. */
    public static EvalLog evaluate(LanguageModel model, TextTokenizer tok, TofuBenchmark bench, String split,
                                   EvalOptions options) {
        return run(model, tok, bench, split, options).log();
    }

    /**
     * Evaluates {@code model} on the forget split {@code split} (forget01|forget05|forget10) and the
     * shared retain / real-authors / world-facts / holdout splits.
     */
    public static EvalRun run(LanguageModel model, TextTokenizer tok, TofuBenchmark bench, String split,
                              EvalOptions options) {
        long t0 = System.nanoTime();
        if (!FORGET_SPLITS.contains(split)) {
            throw new IllegalArgumentException("split must be one of " + FORGET_SPLITS + ", got '" + split + "'");
        }
        int percent = TofuSplits.forgetPercent(split);
        checkTokens(model, tok);

        MetricRegistry registry = TofuMetrics.registry();
        List<String> requested = new ArrayList<>();
        for (String m : options.metrics()) {
            registry.get(m); // unknown names fail here, listing the known ones
            if (m.equals(TofuMetrics.FORGET_QUALITY) && options.retainLog() == null) {
                LOG.info("no retain log given: forget_quality is left out of the evaluation");
                continue;
            }
            if (!requested.contains(m)) {
                requested.add(m);
            }
        }
        MetricNeeds needs = MetricNeeds.of(registry, requested);

        Map<String, List<Item>> items = new LinkedHashMap<>();
        Map<String, String> files = new LinkedHashMap<>();
        for (String s : needs.splits()) {
            String file = sourceSplit(s, percent, bench);
            files.put(s, file);
            items.put(s, load(bench, s, file, needs));
        }

        int maxLength = Math.min(options.maxLength(), model.config().maxPositionEmbeddings() - 1);
        QaEncoder encoder = QaEncoder.builder().setTokenizer(tok).setTemplate(options.template())
                .optMaxLength(maxLength).build();
        Map<String, Double> timings = new LinkedHashMap<>();

        // 1. Teacher-forced scores of every distinct (question, answer).
        long ts = System.nanoTime();
        TargetScorer scorer = new TargetScorer(model, encoder, options.batchSize());
        items.forEach((s, list) -> {
            Detail answerDetail = needs.has(s, ScorePart.MOMENTS) ? Detail.MOMENTS
                    : needs.has(s, ScorePart.TRACE) ? Detail.TRACE : Detail.SCORE;
            for (Item it : list) {
                scorer.request(new Target(it.question(), it.answer()), answerDetail);
                if (needs.has(s, ScorePart.PARAPHRASED)) {
                    scorer.request(new Target(it.question(), it.paraphrased()), Detail.SCORE);
                }
                if (needs.has(s, ScorePart.PERTURBED)) {
                    for (String w : it.perturbed()) {
                        scorer.request(new Target(it.question(), w), Detail.SCORE);
                    }
                }
            }
        });
        Map<Target, Scored> scores = scorer.run();
        timings.put("scoring", seconds(ts));

        // 2. Greedy generations for ROUGE.
        long tg = System.nanoTime();
        List<String> questions = new ArrayList<>();
        items.forEach((s, list) -> {
            if (needs.has(s, ScorePart.GENERATION)) {
                list.forEach(it -> questions.add(it.question()));
            }
        });
        Map<String, AnswerGenerator.Generated> generated = questions.isEmpty() ? Map.of()
                : new AnswerGenerator(model, encoder, options.generationBatchSize(), options.maxNewTokens())
                        .generate(questions);
        timings.put("generation", seconds(tg));

        // 3. Optional per-item extras of the MIA attacks.
        Map<Target, Double> gradNorms = new LinkedHashMap<>();
        if (items.keySet().stream().anyMatch(s -> needs.has(s, ScorePart.GRAD_NORM))) {
            long tn = System.nanoTime();
            if (!(model instanceof Decoder decoder)) {
                throw new IllegalArgumentException("mia_gradnorm needs the model's weights, but "
                        + model.getClass().getSimpleName() + " is not a Decoder; drop mia_gradnorm from the metrics");
            }
            List<Target> targets = answerTargets(items, needs, ScorePart.GRAD_NORM);
            List<QaEncoding> enc = targets.stream().map(scorer::encode).toList();
            double[] g = GradNormScorer.score(decoder, enc);
            for (int i = 0; i < g.length; i++) {
                gradNorms.put(targets.get(i), g[i]);
            }
            timings.put("gradnorm", seconds(tn));
        }
        Map<Target, Scored> reference = Map.of();
        if (items.keySet().stream().anyMatch(s -> needs.has(s, ScorePart.REFERENCE_LOSS))) {
            long tr = System.nanoTime();
            if (options.referenceModel() == null) {
                throw new IllegalArgumentException("mia_reference needs a reference model: set EvalOptions.optReferenceModel");
            }
            checkTokens(options.referenceModel(), tok);
            TargetScorer ref = new TargetScorer(options.referenceModel(), encoder, options.batchSize());
            answerTargets(items, needs, ScorePart.REFERENCE_LOSS).forEach(t -> ref.request(t, Detail.SCORE));
            reference = ref.run();
            timings.put("reference", seconds(tr));
        }

        // 4. Per-item scores → metrics.
        long tm = System.nanoTime();
        Map<String, SplitData> splits = new LinkedHashMap<>();
        for (Map.Entry<String, List<Item>> e : items.entrySet()) {
            String s = e.getKey();
            List<ItemScores> list = new ArrayList<>(e.getValue().size());
            for (Item it : e.getValue()) {
                Target answer = new Target(it.question(), it.answer());
                Scored a = scores.get(answer);
                ItemScores is = ItemScores.of(it.index(), a.score());
                if (a.trace() != null) {
                    is = is.withTrace(a.trace());
                }
                if (needs.has(s, ScorePart.DECODED_TARGET)) {
                    is = is.withDecodedTarget(a.decoded());
                }
                if (needs.has(s, ScorePart.PARAPHRASED)) {
                    is = is.withParaphrased(scores.get(new Target(it.question(), it.paraphrased())).score());
                }
                if (needs.has(s, ScorePart.PERTURBED)) {
                    List<AnswerScore> wrong = new ArrayList<>(it.perturbed().size());
                    for (String w : it.perturbed()) {
                        wrong.add(scores.get(new Target(it.question(), w)).score());
                    }
                    is = is.withPerturbed(wrong);
                }
                if (needs.has(s, ScorePart.GENERATION)) {
                    AnswerGenerator.Generated g = generated.get(it.question());
                    is = is.withGeneration(new Generation(g.input(), a.decoded(), g.text()));
                }
                if (needs.has(s, ScorePart.GRAD_NORM)) {
                    is = is.withGradNorm(gradNorms.get(answer));
                }
                if (needs.has(s, ScorePart.REFERENCE_LOSS)) {
                    is = is.withReferenceAvgLoss(reference.get(answer).score().avgLoss());
                }
                list.add(is);
            }
            splits.put(s, new SplitData(s, list));
        }
        MetricContext ctx = new MetricContext(splits, options.retainLog(), options.metricParams());
        EvalLog log = registry.evaluate(ctx, requested);
        timings.put("metrics", seconds(tm));
        timings.put("total", seconds(t0));
        if (encoder.truncatedCount() > 0) {
            // recorded in lethe.json beside the log, and said out loud: a cut answer is scored on its head only
            timings.put("truncated_sequences", (double) encoder.truncatedCount());
            LOG.warning(encoder.truncatedCount() + " sequence(s) longer than max_length " + maxLength
                    + " tokens were truncated before scoring/generation (raise --max-length or the model's "
                    + "max_position_embeddings to score them whole)");
        }

        if (options.outDir() != null) {
            EvalLogJson.write(options.outDir(), log, requested);
            writeProvenance(options, split, files, requested, timings);
        }
        LOG.fine(() -> "evaluated " + split + " in " + timings);
        return new EvalRun(new EvalLog(options.outDir() == null ? null
                : options.outDir().resolve(EvalLogJson.EVAL_FILE), log.metrics()), timings, scorer.distinct(),
                generated.size());
    }

    /** Which benchmark file feeds a metric split. */
    private static String sourceSplit(String s, int percent, TofuBenchmark bench) {
        return switch (s) {
            case TofuMetrics.FORGET -> TofuSplits.forgetPerturbed(percent);
            case TofuMetrics.RETAIN -> TofuSplits.RETAIN_PERTURBED;
            case TofuMetrics.HOLDOUT -> TofuSplits.holdout(percent);
            case TofuMetrics.REAL_AUTHORS -> bench.has(TofuSplits.REAL_AUTHORS_PERTURBED)
                    ? TofuSplits.REAL_AUTHORS_PERTURBED : TofuSplits.REAL_AUTHORS;
            case TofuMetrics.WORLD_FACTS -> bench.has(TofuSplits.WORLD_FACTS_PERTURBED)
                    ? TofuSplits.WORLD_FACTS_PERTURBED : TofuSplits.WORLD_FACTS;
            default -> throw new IllegalStateException("no benchmark file for metric split '" + s + "'");
        };
    }

    private static List<Item> load(TofuBenchmark bench, String s, String file, MetricNeeds needs) {
        if (!bench.has(file)) {
            throw new IllegalArgumentException("the requested metrics need split '" + file + "' (metric split '" + s
                    + "'), but " + bench.dir() + " has no " + TofuSplits.fileName(file));
        }
        List<Item> out = new ArrayList<>();
        switch (TofuSplits.kind(file)) {
            case PERTURBED -> {
                for (PerturbedQaItem p : bench.perturbed(file)) {
                    out.add(new Item(p.index(), p.question(), p.answer(), p.paraphrasedAnswer(), p.perturbedAnswers()));
                }
            }
            case MULTIPLE_CHOICE -> {
                for (MultipleChoiceItem m : bench.multipleChoice(file)) {
                    out.add(new Item(m.index(), m.question(), m.answer(), null, m.wrongOptions()));
                }
            }
            case QA -> {
                for (QaItem q : bench.qa(file)) {
                    out.add(new Item(q.index(), q.question(), q.answer(), null, List.of()));
                }
            }
            default -> throw new IllegalStateException("split '" + file + "' cannot be evaluated");
        }
        for (Item it : out) {
            if (needs.has(s, ScorePart.PARAPHRASED) && it.paraphrased() == null) {
                throw new IllegalArgumentException(TofuSplits.fileName(file) + " item " + it.index()
                        + " has no paraphrased_answer, which metric split '" + s + "' needs");
            }
            if (needs.has(s, ScorePart.PERTURBED) && it.perturbed().isEmpty()) {
                throw new IllegalArgumentException(TofuSplits.fileName(file) + " item " + it.index()
                        + " has no perturbed answers, which metric split '" + s + "' needs");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(TofuSplits.fileName(file) + " in " + bench.dir() + " is empty");
        }
        return out;
    }

    private static List<Target> answerTargets(Map<String, List<Item>> items, MetricNeeds needs, ScorePart part) {
        List<Target> out = new ArrayList<>();
        items.forEach((s, list) -> {
            if (needs.has(s, part)) {
                for (Item it : list) {
                    Target t = new Target(it.question(), it.answer());
                    if (!out.contains(t)) {
                        out.add(t);
                    }
                }
            }
        });
        return out;
    }

    /** The model must share the tokenizer's special ids and cover its vocabulary. */
    private static void checkTokens(LanguageModel model, TextTokenizer tok) {
        if (model.config().eosTokenId() != tok.eosId()) {
            throw new IllegalArgumentException("model EOS id " + model.config().eosTokenId()
                    + " differs from the tokenizer's " + tok.eosId() + " (generation would not stop where scoring ends)");
        }
        if (tok instanceof dev.lethe.core.text.LetheTokenizer lt && lt.vocabSize() > model.config().vocabSize()) {
            throw new IllegalArgumentException("tokenizer " + lt.file() + " has " + lt.vocabSize()
                    + " ids but the model's vocabulary has only " + model.config().vocabSize());
        }
    }

    private static void writeProvenance(EvalOptions o, String split, Map<String, String> files, List<String> requested,
                                        Map<String, Double> timings) {
        Map<String, String> cfg = new TreeMap<>();
        cfg.put("eval.split", split);
        cfg.put("eval.template", o.template().name());
        cfg.put("eval.batch_size", Integer.toString(o.batchSize()));
        cfg.put("eval.generation_batch_size", Integer.toString(o.generationBatchSize()));
        cfg.put("eval.max_new_tokens", Integer.toString(o.maxNewTokens()));
        cfg.put("eval.max_length", Integer.toString(o.maxLength()));
        cfg.put("eval.metrics", String.join(",", requested));
        cfg.put("eval.min_k", Double.toString(o.metricParams().minKFraction()));
        cfg.put("eval.retain_log", o.retainLog() == null ? "none" : o.retainLog().describe());
        files.forEach((s, f) -> cfg.put("eval.data." + s, f));
        Provenance p = o.provenance();
        if (p == null) {
            p = Provenance.of("eval", cfg, 0, Map.of());
        } else {
            Map<String, String> merged = new TreeMap<>(cfg);
            merged.putAll(p.config()); // the caller's settings win on a clash
            p = new Provenance(p.kind(), merged, p.seed(), p.inputs(), p.gitSha(), p.timings());
        }
        for (Map.Entry<String, Double> t : timings.entrySet()) {
            p = p.withTiming("eval." + t.getKey(), t.getValue());
        }
        try {
            p.write(o.outDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write provenance to " + o.outDir() + ": " + e.getMessage(), e);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}

package dev.lethe.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.lm.Scorer;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.text.ChatTemplate;
import dev.lethe.core.text.LetheTokenizer;
import dev.lethe.core.text.QaEncoder;
import dev.lethe.core.text.QaEncoding;
import dev.lethe.core.util.Provenance;
import dev.lethe.datasets.synth.WorldSpec;
import dev.lethe.datasets.synth.WorldWriter;
import dev.lethe.datasets.tofu.PerturbedQaItem;
import dev.lethe.datasets.tofu.TofuBenchmark;
import dev.lethe.datasets.tofu.TofuRow;
import dev.lethe.datasets.tofu.TofuSplits;
import dev.lethe.eval.logs.EvalLogJson;
import dev.lethe.eval.metrics.engine.EvalLog;
import dev.lethe.eval.metrics.engine.MetricResult;
import dev.lethe.eval.metrics.tofu.TofuMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluator end to end on a 10-author synthetic world and a random d = 32 decoder. The full suite runs
 * once through {@link EchoModel} (real teacher-forced logits, generations = the dataset answers), so ROUGE
 * has a known value while probabilities, truth ratios and MIA stay those of a real network.
 */
class TofuEvaluatorTest {

    static final String SPLIT = "forget01";

    @TempDir
    static Path tmp;
    static TofuBenchmark bench;
    static LetheTokenizer tok;
    static NDManager manager;
    static Decoder decoder;
    static EchoModel echo;
    static EvalRun run;
    static Path out;

    @BeforeAll
    static void evaluateOnce() throws Exception {
        Path world = tmp.resolve("world");
        WorldWriter.write(world, new WorldSpec(10, 3, 8, 8));
        bench = TofuBenchmark.load(world);
        tok = LetheTokenizer.load(world);
        manager = NDManager.newBaseManager();
        DecoderConfig cfg = DecoderConfig.llama(tok.vocabSize(), 32, 64, 2, 4, 2, 256)
                .withTokens(tok.vocabSize(), tok.bosId(), tok.eosId(), tok.padId());
        decoder = Decoder.random(cfg, manager, 11);
        QaEncoder enc = QaEncoder.of(tok, ChatTemplate.QA);
        echo = new EchoModel(decoder);
        for (String s : List.of(TofuSplits.forgetPerturbed(1), TofuSplits.RETAIN_PERTURBED,
                TofuSplits.REAL_AUTHORS_PERTURBED, TofuSplits.WORLD_FACTS_PERTURBED)) {
            for (PerturbedQaItem it : bench.perturbed(s)) {
                echo.learn(enc, it.question(), it.answer());
            }
        }
        out = tmp.resolve("eval");
        run = TofuEvaluator.run(echo, tok, bench, SPLIT,
                EvalOptions.builder().optOutDir(out).optMaxNewTokens(96).build());
    }

    @AfterAll
    static void close() {
        if (tok != null) {
            tok.close();
        }
        if (manager != null) {
            manager.close();
        }
    }

    private static Set<String> indices(List<? extends TofuRow> rows) {
        return rows.stream().map(r -> Integer.toString(r.index())).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void writesEveryExpectedKeyWithOneEntryPerItem() throws Exception {
        assertTrue(Files.isRegularFile(out.resolve(EvalLogJson.EVAL_FILE)));
        assertTrue(Files.isRegularFile(out.resolve(EvalLogJson.SUMMARY_FILE)));
        Provenance prov = Provenance.read(out);
        assertEquals("eval", prov.kind());
        assertEquals(SPLIT, prov.config().get("eval.split"));
        assertEquals("forget01_perturbed", prov.config().get("eval.data.forget"));
        assertTrue(prov.timings().get("eval.total") > 0);
        EvalLog log = EvalLogJson.read(out.resolve(EvalLogJson.EVAL_FILE));
        Set<String> expected = new TreeSet<>(EvalOptions.TOFU_SUITE);
        expected.remove(TofuMetrics.FORGET_QUALITY); // no retain log: left out, not faked
        expected.addAll(TofuMetrics.MODEL_UTILITY_COMPONENTS);
        for (String s : List.of("forget", "retain")) {
            expected.addAll(List.of(s + "_Q_A_PARA_Prob", s + "_Q_A_PERT_Prob", s + "_Q_A_Prob"));
        }
        assertTrue(log.metrics().keySet().containsAll(expected), "missing: " + difference(expected, log));
        assertFalse(log.metrics().containsKey(TofuMetrics.FORGET_QUALITY));

        Set<String> forget = indices(bench.perturbed(TofuSplits.forgetPerturbed(1)));
        Set<String> retain = indices(bench.retainPerturbed());
        Set<String> ra = indices(bench.realAuthorsPerturbed());
        Set<String> wf = indices(bench.worldFactsPerturbed());
        Set<String> holdout = indices(bench.holdout(1));
        Map<String, Set<String>> perSample = Map.ofEntries(
                Map.entry("forget_Q_A_Prob", forget), Map.entry("forget_Q_A_PARA_Prob", forget),
                Map.entry("forget_Q_A_PERT_Prob", forget), Map.entry("forget_Q_A_ROUGE", forget),
                Map.entry("forget_Truth_Ratio", forget), Map.entry("extraction_strength", forget),
                Map.entry("exact_memorization", forget),
                Map.entry("retain_Q_A_Prob", retain), Map.entry("retain_Q_A_ROUGE", retain),
                Map.entry("retain_Truth_Ratio", retain),
                Map.entry("ra_Q_A_Prob_normalised", ra), Map.entry("ra_Q_A_ROUGE", ra), Map.entry("ra_Truth_Ratio", ra),
                Map.entry("wf_Q_A_Prob_normalised", wf), Map.entry("wf_Q_A_ROUGE", wf), Map.entry("wf_Truth_Ratio", wf));
        perSample.forEach((metric, idx) ->
                assertEquals(idx, new TreeSet<>(log.require(metric).valueByIndex().keySet()), metric));
        for (String mia : List.of("mia_loss", "mia_zlib", "mia_min_k", "mia_min_k_plus_plus")) {
            MetricResult r = log.require(mia);
            assertEquals(forget, new TreeSet<>(((MetricResult) r.extra().get("forget")).valueByIndex().keySet()), mia);
            assertEquals(holdout, new TreeSet<>(((MetricResult) r.extra().get("holdout")).valueByIndex().keySet()), mia);
            assertTrue(r.aggValue() >= 0 && r.aggValue() <= 1, mia + " AUC " + r.aggValue());
        }
        assertNotNull(log.require(TofuMetrics.PRIVLEAK).aggValue());
        // probabilities in (0, 1]
        for (String m : List.of("forget_Q_A_Prob", "forget_Q_A_PARA_Prob", "retain_Q_A_Prob", "ra_Q_A_Prob", "wf_Q_A_Prob")) {
            for (double p : log.require(m).rowMeans("prob", m)) {
                assertTrue(p > 0 && p <= 1, m + " prob " + p);
            }
        }
        for (String m : List.of("forget_Q_A_PERT_Prob", "retain_Q_A_PERT_Prob")) {
            log.require(m).valueByIndex().forEach((i, e) -> assertEquals(5, ((List<?>) e.get("prob")).size(), m + "[" + i + "]"));
        }
        assertEquals(3, ((List<?>) log.require("ra_Q_A_PERT_Prob").entry(ra.iterator().next()).get("prob")).size());
        assertTrue(run.timings().get("total") > 0);
        assertEquals(forget.size() + retain.size() + ra.size() + wf.size(), run.generations());
    }

    private static Set<String> difference(Set<String> expected, EvalLog log) {
        Set<String> d = new TreeSet<>(expected);
        d.removeAll(log.metrics().keySet());
        return d;
    }

    @Test
    void probabilityEqualsIndependentScorer() {
        EvalLog log = run.log();
        QaEncoder enc = QaEncoder.of(tok, ChatTemplate.QA);
        List<PerturbedQaItem> items = bench.perturbed(TofuSplits.forgetPerturbed(1));
        List<PerturbedQaItem> pick = List.of(items.get(0), items.get(items.size() - 1));
        List<long[]> rows = new ArrayList<>();
        List<long[]> labels = new ArrayList<>();
        for (PerturbedQaItem it : pick) {
            for (String a : List.of(it.answer(), it.paraphrasedAnswer(), it.perturbedAnswers().get(2))) {
                QaEncoding e = enc.encode(it.question(), a);
                rows.add(java.util.Arrays.stream(e.ids()).asLongStream().toArray());
                labels.add(java.util.Arrays.stream(e.labels()).asLongStream().toArray());
            }
        }
        List<Scorer.Result> ref = new Scorer(decoder).scoreRows(rows, labels, 1, tok.padId());
        for (int k = 0; k < pick.size(); k++) {
            String idx = Integer.toString(pick.get(k).index());
            double answer = (Double) log.require("forget_Q_A_Prob").entry(idx).get("prob");
            double para = (Double) log.require("forget_Q_A_PARA_Prob").entry(idx).get("prob");
            double pert = (Double) ((List<?>) log.require("forget_Q_A_PERT_Prob").entry(idx).get("prob")).get(2);
            assertEquals(ref.get(3 * k).probability(), answer, 1e-5 * answer, "answer of item " + idx);
            assertEquals(ref.get(3 * k + 1).probability(), para, 1e-5 * para, "paraphrase of item " + idx);
            assertEquals(ref.get(3 * k + 2).probability(), pert, 1e-5 * pert, "perturbed[2] of item " + idx);
        }
    }

    @Test
    void echoedAnswersHaveRougeOne() {
        EvalLog log = run.log();
        for (String m : List.of("forget_Q_A_ROUGE", "retain_Q_A_ROUGE", "ra_Q_A_ROUGE", "wf_Q_A_ROUGE")) {
            assertEquals(1.0, log.require(m).aggValue(), 1e-12, m);
        }
        Map<String, Object> e = log.require("forget_Q_A_ROUGE").valueByIndex().values().iterator().next();
        assertEquals(e.get("ground_truth"), e.get("generation"));
        assertTrue(((String) e.get("input")).startsWith("Question"), (String) e.get("input"));
    }

    @Test
    void modelUtilityIsHarmonicMeanOfTheNine() {
        EvalLog log = run.log();
        double inv = 0;
        for (String c : TofuMetrics.MODEL_UTILITY_COMPONENTS) {
            double v = log.require(c).aggValue();
            assertTrue(v > 0, c + " = " + v + " (the echo model should make every component positive)");
            inv += 1 / v;
        }
        assertEquals(9 / inv, log.require(TofuMetrics.MODEL_UTILITY).aggValue(), 1e-12);
    }

    @Test
    void realGenerationAndForgetQualityAgainstOwnLog() {
        // The plain decoder has the echo's logits, so its forget truth ratios equal the logged ones: FQ = 1.
        EvalLog self = EvalLogJson.read(out.resolve(EvalLogJson.EVAL_FILE));
        EvalLog log = TofuEvaluator.evaluate(decoder, tok, bench, SPLIT, EvalOptions.builder()
                .optMetrics(List.of(TofuMetrics.FORGET_QUALITY, "forget_Q_A_ROUGE"))
                .optRetainLog(self).optMaxNewTokens(6).optBatchSize(7).build());
        assertEquals(1.0, log.require(TofuMetrics.FORGET_QUALITY).aggValue());
        MetricResult rouge = log.require("forget_Q_A_ROUGE");
        assertEquals(20, rouge.valueByIndex().size());
        for (Map<String, Object> e : rouge.valueByIndex().values()) {
            String gen = (String) e.get("generation");
            assertTrue(gen.split(" ").length <= 6, "at most 6 new tokens: " + gen);
        }
        // only what was asked for (and its dependencies) is in the log
        assertFalse(log.metrics().containsKey("retain_Q_A_Prob"));
        assertFalse(log.metrics().containsKey("mia_min_k"));
    }

    @Test
    void gradNormIsPerItemAndReproducible() {
        EvalOptions o = EvalOptions.builder().optMetrics(List.of("mia_gradnorm")).build();
        MetricResult a = TofuEvaluator.evaluate(decoder, tok, bench, SPLIT, o).require("mia_gradnorm");
        MetricResult b = TofuEvaluator.evaluate(decoder, tok, bench, SPLIT, o).require("mia_gradnorm");
        MetricResult fa = (MetricResult) a.extra().get("forget");
        MetricResult fb = (MetricResult) b.extra().get("forget");
        assertEquals(20, fa.valueByIndex().size());
        Set<Double> distinct = new TreeSet<>();
        fa.valueByIndex().forEach((i, e) -> {
            double g = (Double) e.get("score");
            assertTrue(g > 0 && Double.isFinite(g), "gradnorm[" + i + "] = " + g);
            // gradients are zeroed between items: the same item gives the same norm in a second run
            assertEquals(g, (Double) fb.entry(i).get("score"), 1e-5 * g, "gradnorm[" + i + "]");
            distinct.add(g);
        });
        assertTrue(distinct.size() > 1, "per-item norms should differ");
        // the weights are left without gradients
        assertFalse(decoder.hfParameters().values().iterator().next().getArray().hasGradient());
    }

    @Test
    void clearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TofuEvaluator.evaluate(decoder, tok,
                bench, "forget02", EvalOptions.defaults()));
        assertTrue(e.getMessage().contains("forget01"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TofuEvaluator.evaluate(decoder, tok, bench, SPLIT,
                EvalOptions.builder().optMetrics(List.of("forget_bogus")).build()));
        assertTrue(e.getMessage().contains("forget_bogus"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TofuEvaluator.evaluate(decoder, tok, bench, SPLIT,
                EvalOptions.builder().optMetrics(List.of("mia_reference")).build()));
        assertTrue(e.getMessage().contains("reference model"), e.getMessage());
        assertNotEquals(0, run.scoredTargets());
    }
}

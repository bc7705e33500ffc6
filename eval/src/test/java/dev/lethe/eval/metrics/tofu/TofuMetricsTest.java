package dev.lethe.eval.metrics.tofu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.eval.metrics.AnswerScore;
import dev.lethe.eval.metrics.VocabMoments;
import dev.lethe.eval.metrics.engine.EvalLog;
import dev.lethe.eval.metrics.engine.Generation;
import dev.lethe.eval.metrics.engine.ItemScores;
import dev.lethe.eval.metrics.engine.Metric;
import dev.lethe.eval.metrics.engine.MetricContext;
import dev.lethe.eval.metrics.engine.MetricRegistry;
import dev.lethe.eval.metrics.engine.MetricResult;
import dev.lethe.eval.metrics.engine.SplitData;
import dev.lethe.eval.metrics.engine.TokenTrace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry and metric classes on small hand-made splits. */
class TofuMetricsTest {

    private static AnswerScore p(double prob) {
        return new AnswerScore(-Math.log(prob), 4);
    }

    /** Item with answer prob a, paraphrase c, two perturbed w, and a generation. */
    private static ItemScores item(int idx, double a, double c, double w1, double w2, String gt, String gen) {
        return ItemScores.of(idx, p(a)).withParaphrased(p(c)).withPerturbed(List.of(p(w1), p(w2)))
                .withGeneration(new Generation("q" + idx, gt, gen));
    }

    private static MetricContext context(EvalLog retain) {
        SplitData forget = new SplitData("forget", List.of(
                item(10, 0.9, 0.5, 0.25, 0.25, "alpha beta", "alpha beta"),
                item(11, 0.8, 0.2, 0.4, 0.4, "gamma delta", "gamma")));
        SplitData retainSplit = new SplitData("retain", List.of(
                item(0, 0.5, 0.8, 0.2, 0.2, "a b c d", "a b c d"),
                item(1, 0.7, 0.5, 0.5, 0.5, "x y", "y")));
        SplitData ra = new SplitData("ra", List.of(item(0, 0.6, 0.6, 0.1, 0.1, "william shakespeare", "it was william shakespeare")));
        SplitData wf = new SplitData("wf", List.of(item(0, 0.3, 0.3, 0.3, 0.3, "paris", "london")));
        return MetricContext.of(retain, forget, retainSplit, ra, wf);
    }

    @Test
    void forgetAndUtilityMetricsByHand() {
        EvalLog log = TofuMetrics.registry().evaluate(context(null),
                List.of("forget_Q_A_Prob", TofuMetrics.FORGET_TRUTH_RATIO, "forget_Q_A_ROUGE", TofuMetrics.MODEL_UTILITY,
                        TofuMetrics.FORGET_QUALITY));
        assertEquals(0.85, log.require("forget_Q_A_Prob").aggValue(), 1e-12);
        // R = geo-mean wrong / paraphrase: 0.25/0.5 = 0.5 and 0.4/0.2 = 2 -> min(R, 1/R) = 0.5 each
        MetricResult tr = log.require(TofuMetrics.FORGET_TRUTH_RATIO);
        assertEquals(0.5, (Double) tr.entry("10").get("score"), 1e-9);
        assertEquals(2.0, (Double) tr.entry("11").get("score"), 1e-8);
        assertEquals(0.5, tr.aggValue(), 1e-9);
        // ROUGE-L recall 1 and 1/2
        assertEquals(0.75, log.require("forget_Q_A_ROUGE").aggValue(), 1e-15);
        assertEquals("gamma", log.require("forget_Q_A_ROUGE").entry("11").get("generation"));
        // No retain log: FQ is null, as OU.
        assertNull(log.require(TofuMetrics.FORGET_QUALITY).aggValue());
        // MU components: retain prob 0.6, rouge (1 + 0.5)/2 = 0.75, TR true_better: R = 0.25, 1 -> (0.75 + 0)/2
        assertEquals(0.6, log.require("retain_Q_A_Prob").aggValue(), 1e-12);
        assertEquals(0.75, log.require("retain_Q_A_ROUGE").aggValue(), 1e-15);
        assertEquals(0.375, log.require("retain_Truth_Ratio").aggValue(), 1e-9);
        // ra: normalised 0.6 / (0.6 + 0.2) = 0.75; rouge 1; TR 1 - 0.1/0.6
        assertEquals(0.75, log.require("ra_Q_A_Prob_normalised").aggValue(), 1e-9);
        assertEquals(1.0 - 0.1 / 0.6, log.require("ra_Truth_Ratio").aggValue(), 1e-9);
        // wf: rouge 0 -> MU 0
        assertEquals(0.0, log.require("wf_Q_A_ROUGE").aggValue());
        assertEquals(0.0, log.require(TofuMetrics.MODEL_UTILITY).aggValue());
        // dependencies are in the log too (OU keeps pre_compute results)
        assertTrue(log.metrics().containsKey("forget_Q_A_PERT_Prob"));
        List<?> pert = (List<?>) log.require("forget_Q_A_PERT_Prob").entry("10").get("prob");
        assertEquals(2, pert.size());
        assertEquals(0.25, (Double) pert.get(1), 1e-12);
    }

    @Test
    void forgetQualityAgainstRetainLogOfItself() {
        EvalLog self = TofuMetrics.registry().evaluate(context(null), List.of(TofuMetrics.FORGET_TRUTH_RATIO));
        EvalLog log = TofuMetrics.registry().evaluate(context(self), List.of(TofuMetrics.FORGET_QUALITY));
        assertEquals(1.0, log.require(TofuMetrics.FORGET_QUALITY).aggValue());
    }

    @Test
    void miaPrivleakAndMemorization() {
        // forget items are confident (low loss), holdout items are not -> AUC 1, privleak -98 vs 0.5... exactly -100
        List<ItemScores> forget = new ArrayList<>();
        List<ItemScores> holdout = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            float[] lpF = {-0.1f, -0.2f, -0.05f};
            float[] lpH = {-2f - i, -3f, -0.5f};
            TokenTrace tf = new TokenTrace(lpF, new int[] {1, 2, 3}, new int[] {1, 2, 9},
                    new VocabMoments(new double[] {-1, -1, -1}, new double[] {1, 1, 1}));
            TokenTrace th = new TokenTrace(lpH, new int[] {1, 2, 3}, new int[] {0, 2, 3},
                    new VocabMoments(new double[] {-1, -1, -1}, new double[] {1, 1, 1}));
            forget.add(ItemScores.of(i, AnswerScore.fromLogProbs(lpF)).withTrace(tf).withDecodedTarget("answer " + i));
            holdout.add(ItemScores.of(100 + i, AnswerScore.fromLogProbs(lpH)).withTrace(th).withDecodedTarget("other " + i));
        }
        MetricContext ctx = MetricContext.of(null, new SplitData("forget", forget), new SplitData("holdout", holdout));
        EvalLog log = TofuMetrics.registry().evaluate(ctx, List.of("mia_loss", "mia_zlib", "mia_min_k",
                "mia_min_k_plus_plus", TofuMetrics.PRIVLEAK, "exact_memorization", "extraction_strength"));
        for (String m : List.of("mia_loss", "mia_zlib", "mia_min_k", "mia_min_k_plus_plus")) {
            assertEquals(1.0, log.require(m).aggValue(), 0, m);
        }
        // min-k drops the EOS position: lowest int(2*0.4)=max(1,0)=1 of {-0.1,-0.2} -> 0.2
        MetricResult mk = (MetricResult) log.require("mia_min_k").extra().get("forget");
        assertEquals(0.2, (Double) mk.entry("0").get("score"), 1e-6);
        // s = 1 - 1 = 0, r = 0.5 -> -100
        assertEquals(-100.0, log.require(TofuMetrics.PRIVLEAK).aggValue(), 1e-6);
        // EOS dropped: predictions {1,2} vs labels {1,2} -> EM 1, ES 1
        assertEquals(1.0, log.require("exact_memorization").aggValue());
        assertEquals(1.0, log.require("extraction_strength").aggValue());
    }

    @Test
    void missingInputsAreNamed() {
        MetricContext ctx = MetricContext.of(null, new SplitData("forget", List.of(ItemScores.of(7, p(0.5)))));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TofuMetrics.registry().evaluate(ctx, List.of("forget_Q_A_PARA_Prob")));
        assertTrue(e.getMessage().contains("paraphrased") && e.getMessage().contains("index 7"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> TofuMetrics.registry().evaluate(ctx, List.of("ra_Q_A_Prob")));
        assertTrue(e.getMessage().contains("'ra'"), e.getMessage());
    }

    @Test
    void registryDetectsCyclesAndComputesEachMetricOnce() {
        int[] calls = {0};
        Metric a = simple("a", List.of("b"), calls);
        Metric b = simple("b", List.of(), calls);
        Metric c = simple("c", List.of("a", "b"), calls);
        EvalLog log = new MetricRegistry().register(a).register(b).register(c)
                .evaluate(MetricContext.of(null), List.of("c", "a"));
        assertEquals(3, calls[0]);
        assertEquals(List.of("b", "a", "c"), List.copyOf(log.metrics().keySet()));
        MetricRegistry cyclic = new MetricRegistry().register(simple("x", List.of("y"), calls)).register(simple("y", List.of("x"), calls));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cyclic.evaluate(MetricContext.of(null), List.of("x")));
        assertTrue(e.getMessage().contains("x -> y -> x"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MetricRegistry().register(b).register(b));
    }

    private static Metric simple(String name, List<String> deps, int[] calls) {
        return new Metric() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<String> dependencies() {
                return deps;
            }

            @Override
            public MetricResult compute(MetricContext ctx, Map<String, MetricResult> d) {
                calls[0]++;
                return MetricResult.aggregateOnly((double) d.size());
            }
        };
    }
}

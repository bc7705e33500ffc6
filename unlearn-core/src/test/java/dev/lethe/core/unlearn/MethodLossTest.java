package dev.lethe.core.unlearn;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.lethe.core.lm.TokenLogProbs;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.train.LmBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.lethe.core.unlearn.Fixtures.TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every method's loss on one batch equals the formula of tofu-eval.md §3 evaluated by hand (Java doubles)
 * from the same models' logits or hidden states: at θ = ref where the spec gives a closed form, and with a
 * different student where the reference matters.
 */
class MethodLossTest {

    static final double TOL = 2e-4;

    NDManager root;
    Decoder target;   // reference: the starting model
    Decoder student;  // exact copy: θ = ref
    Decoder other;    // a different model: θ ≠ ref
    NDManager step;
    ForgetRetainBatch batch;
    UnlearningData data;

    @BeforeEach
    void setUp() {
        root = NDManager.newBaseManager();
        target = Decoder.random(TINY, root, 1);
        student = target.copy(root);
        other = Decoder.random(TINY, root, 2);
        step = student.manager().newSubManager();
        data = Fixtures.data(8, 12, 3);
        batch = new ForgetRetainPairing(data, 4, 0).batch(0, step);
    }

    @AfterEach
    void tearDown() {
        root.close();
    }

    double loss(String method, Decoder model, Map<String, String> overrides) {
        MethodConfig cfg = MethodConfig.defaults(method).withOverrides(overrides);
        return MethodRegistry.get(method).objective(model, new FrozenReference(target), cfg)
                .compute(batch, step).value().getFloat();
    }

    double loss(String method, Decoder model) {
        return loss(method, model, Map.of());
    }

    double[] rowLogProbs(Decoder model, LmBatch b) {
        return Fixtures.rowLogProbs(Fixtures.logits(model, b), Fixtures.matrix(b.labels()));
    }

    static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    @Test
    void copyIsExactAndIndependent() {
        target.hfParameters().forEach((name, p) -> {
            NDArray a = p.getArray();
            NDArray b = student.hfParameters().get(name).getArray();
            assertTrue(a.contentEquals(b), name);
            assertFalse(b.hasGradient(), name);
        });
        student.hfParameters().get("model.norm.weight").getArray().set(new float[TINY.hiddenSize()]);
        assertEquals(TINY.hiddenSize(), target.hfParameters().get("model.norm.weight").getArray().sum().getFloat(),
                1e-6, "training the copy must not touch the target");
    }

    @Test
    void gradAscentIsMinusForgetNll() {
        assertEquals(-Fixtures.meanNll(target, batch.forget()), loss("ga", student), TOL);
    }

    @Test
    void gradDiffAddsRetainNll() {
        double expected = -Fixtures.meanNll(other, batch.forget()) + Fixtures.meanNll(other, batch.retain());
        assertEquals(expected, loss("graddiff", other), TOL);
        double weighted = -0.5 * Fixtures.meanNll(other, batch.forget()) + 3 * Fixtures.meanNll(other, batch.retain());
        assertEquals(weighted, loss("graddiff", other, Map.of("gamma", "0.5", "alpha", "3")), TOL);
    }

    @Test
    void klIsZeroAtReferenceAndMatchesTheSumOverVocabularyDividedByBT() {
        assertEquals(-Fixtures.meanNll(target, batch.forget()), loss("kl", student), TOL);
        assertEquals(0.0, RetainTerms.kl(student, new FrozenReference(target)).compute(batch, step).getFloat(), 1e-6);

        // θ ≠ ref: Σ_{b,t,v} p_ref (log p_ref − log p_θ) / (B·T), every position including padding
        double[][][] ref = Fixtures.logits(target, batch.retain());
        double[][][] cur = Fixtures.logits(other, batch.retain());
        double sum = 0;
        int positions = 0;
        for (int b = 0; b < ref.length; b++) {
            for (int t = 0; t < ref[b].length; t++) {
                double[] lr = Fixtures.logSoftmax(ref[b][t]);
                double[] lc = Fixtures.logSoftmax(cur[b][t]);
                for (int v = 0; v < lr.length; v++) {
                    sum += Math.exp(lr[v]) * (lr[v] - lc[v]);
                }
                positions++;
            }
        }
        double kl = sum / positions;
        assertTrue(kl > 0);
        assertEquals(kl, RetainTerms.kl(other, new FrozenReference(target)).compute(batch, step).getFloat(), 1e-5);
        assertEquals(-Fixtures.meanNll(other, batch.forget()) + kl, loss("kl", other), TOL);
    }

    @Test
    void npoAtReferenceIsTwoOverBetaLn2PlusRetainNll() {
        double beta = 0.1;
        double expected = 2 / beta * Math.log(2) + Fixtures.meanNll(target, batch.retain());
        assertEquals(expected, loss("npo", student), TOL);
    }

    @Test
    void npoAwayFromReferenceMatchesTheFormula() {
        double beta = 0.1;
        double[] theta = rowLogProbs(other, batch.forget());
        double[] ref = rowLogProbs(target, batch.forget());
        double[] terms = new double[theta.length];
        for (int i = 0; i < theta.length; i++) {
            terms[i] = Fixtures.logSigmoid(-beta * (theta[i] - ref[i]));
        }
        double expected = -2 / beta * mean(terms) + Fixtures.meanNll(other, batch.retain());
        assertEquals(expected, loss("npo", other), TOL * 10);
    }

    @Test
    void idkDpoAtReferenceIsTwoOverBetaLn2PlusRetainNll() {
        double expected = 2 / 0.1 * Math.log(2) + Fixtures.meanNll(target, batch.retain());
        assertEquals(expected, loss("idkdpo", student), TOL);
    }

    @Test
    void idkDpoAwayFromReferenceMatchesTheFormula() {
        double beta = 0.3;
        double[] winT = rowLogProbs(other, batch.alternative());
        double[] winR = rowLogProbs(target, batch.alternative());
        double[] loseT = rowLogProbs(other, batch.forget());
        double[] loseR = rowLogProbs(target, batch.forget());
        double[] terms = new double[winT.length];
        for (int i = 0; i < terms.length; i++) {
            terms[i] = Fixtures.logSigmoid(beta * ((winT[i] - winR[i]) - (loseT[i] - loseR[i])));
        }
        double expected = -2 / beta * mean(terms) + Fixtures.meanNll(other, batch.retain());
        assertEquals(expected, loss("idkdpo", other, Map.of("beta", "0.3")), TOL * 10);
    }

    @Test
    void idkDpoAlternativesAreAnswersToTheSameQuestion() {
        long[][] f = Fixtures.matrix(batch.forget().tokens().ids());
        long[][] a = Fixtures.matrix(batch.alternative().tokens().ids());
        for (int i = 0; i < batch.size(); i++) {
            int prompt = data.forget().get(batch.forgetIndices()[i]).promptLength();
            for (int t = 0; t < prompt; t++) {
                assertEquals(f[i][t], a[i][t], "row " + i + " shares the prompt");
            }
        }
    }

    @Test
    void simNpoMatchesTheFormulaWithItsWeights() {
        double beta = 4.5;
        double delta = 0.25;
        double gamma = 0.125;
        long[][] labels = Fixtures.matrix(batch.forget().labels());
        double[] lp = rowLogProbs(student, batch.forget());
        double[] terms = new double[lp.length];
        for (int i = 0; i < lp.length; i++) {
            int len = 0;
            for (long y : labels[i]) {
                len += y != TokenLogProbs.IGNORE ? 1 : 0;
            }
            terms[i] = Fixtures.logSigmoid(beta * (-lp[i] / len - delta));
        }
        double expected = gamma * (-2 / beta) * mean(terms) + Fixtures.meanNll(student, batch.retain());
        assertEquals(expected, loss("simnpo", student, Map.of("delta", "0.25")), TOL);
    }

    @Test
    void rmuAtInitIsTheMseToTheScaledRandomDirection() {
        MethodConfig cfg = MethodConfig.defaults("rmu");
        int layer = Rmu.layer(cfg, TINY.numHiddenLayers());
        assertEquals(0, layer, "2-layer model: middle layer (L-1)/2 = 0");
        float[] cu = Rmu.control(TINY.hiddenSize(), 2.0, 0);
        double norm = 0;
        for (float x : cu) {
            assertTrue(x >= 0);
            norm += x * x;
        }
        assertEquals(2.0, Math.sqrt(norm), 1e-5, "‖c·u‖ = c");

        // hidden state after layer 0 = index 1 of the hidden-state list (0 = embeddings)
        LmBatch f = batch.forget();
        NDArray h = target.forward(Decoder.Input.ids(f.tokens().ids()).optAttentionMask(f.tokens().attentionMask())
                .optHiddenStates(true)).hiddenStates().get(layer + 1);
        double[][][] hs = Fixtures.cube(h);
        long[][] labels = Fixtures.matrix(f.labels());
        double[] perRow = new double[hs.length];
        for (int b = 0; b < hs.length; b++) {
            int n = 0;
            for (int t = 0; t < hs[b].length; t++) {
                if (labels[b][t] == TokenLogProbs.IGNORE) {
                    continue;
                }
                double s = 0;
                for (int d = 0; d < cu.length; d++) {
                    s += Math.pow(hs[b][t][d] - cu[d], 2);
                }
                perRow[b] += s / cu.length;
                n++;
            }
            perRow[b] /= n;
        }
        // retain term is 0 at θ = ref, γ = α = 1
        assertEquals(mean(perRow), loss("rmu", student), TOL);
        assertEquals(0.0, Rmu.retainTerm(student, new FrozenReference(target), layer).compute(batch, step)
                .getFloat(), 1e-7);
    }

    @Test
    void rmuTrainsOnlyTheTensorsItsLossReaches() {
        MethodConfig cfg = MethodConfig.defaults("rmu");
        var names = new Rmu().trainableParameters(student, cfg).keySet();
        assertTrue(names.contains("model.embed_tokens.weight"));
        assertTrue(names.contains("model.layers.0.mlp.down_proj.weight"));
        assertFalse(names.stream().anyMatch(n -> n.startsWith("model.layers.1.")));
        assertFalse(names.contains("lm_head.weight"));
        assertThrows(IllegalArgumentException.class,
                () -> Rmu.layer(cfg.withOverrides(Map.of("rmu_layer", "2")), TINY.numHiddenLayers()));
        assertEquals(7, Rmu.layer(cfg, 16), "OU's layer 7 on a 16-layer model");
        assertEquals(7, Rmu.layer(cfg, 32));
    }

    @Test
    void undialTargetsOnATinyVocabulary() {
        // V = 4, one row, positions with labels 2, −100, 0
        float[] z = {1f, 2f, 3f, 0.5f, 0f, 0f, 0f, 0f, -1f, 1f, 0f, 2f};
        NDArray teacher = step.create(z, new Shape(1, 3, 4));
        NDArray labels = step.create(new long[] {2, TokenLogProbs.IGNORE, 0}, new Shape(1, 3));
        double beta = 10;
        float[] wrap = Undial.targets(teacher, labels, beta, MethodConfig.UndialIgnored.WRAP).toFloatArray();
        float[] skip = Undial.targets(teacher, labels, beta, MethodConfig.UndialIgnored.SKIP).toFloatArray();
        // −100 mod 4 = 0: OU's index −100 taken modulo V
        int[] hit = {2, 0, 0};
        for (int t = 0; t < 3; t++) {
            double[] adjusted = new double[4];
            double[] plain = new double[4];
            for (int v = 0; v < 4; v++) {
                plain[v] = z[t * 4 + v];
                adjusted[v] = plain[v] - (v == hit[t] ? beta : 0);
            }
            double[] qw = Fixtures.logSoftmax(adjusted);
            double[] qs = Fixtures.logSoftmax(t == 1 ? plain : adjusted);
            for (int v = 0; v < 4; v++) {
                assertEquals(Math.exp(qw[v]), wrap[t * 4 + v], 1e-6, "wrap t=" + t + " v=" + v);
                assertEquals(Math.exp(qs[v]), skip[t * 4 + v], 1e-6, "skip t=" + t + " v=" + v);
            }
        }
        // the true token's target probability collapses: e^{3-10} against e^1 + e^2 + e^0.5
        assertTrue(wrap[2] < 1e-3);
    }

    @Test
    void undialLossIsCrossEntropyToTheAdjustedTeacherOverAllPositions() {
        double beta = 10;
        double[][][] teacher = Fixtures.logits(target, batch.forget());
        double[][][] studentLogits = Fixtures.logits(other, batch.forget());
        long[][] labels = Fixtures.matrix(batch.forget().labels());
        int wrapped = Math.floorMod(-100, TINY.vocabSize());
        assertEquals(TINY.vocabSize() - 100, wrapped);
        double sum = 0;
        int n = 0;
        for (int b = 0; b < labels.length; b++) {
            for (int t = 0; t + 1 < labels[b].length; t++) {
                long y = labels[b][t + 1];
                int hit = y == TokenLogProbs.IGNORE ? wrapped : (int) y;
                double[] adjusted = teacher[b][t].clone();
                adjusted[hit] -= beta;
                double[] q = Fixtures.logSoftmax(adjusted);
                double[] p = Fixtures.logSoftmax(studentLogits[b][t]);
                for (int v = 0; v < q.length; v++) {
                    sum -= Math.exp(q[v]) * p[v];
                }
                n++;
            }
        }
        // α = 0 by default: the forget term alone
        assertEquals(sum / n, loss("undial", other), TOL);
    }

    @Test
    void referenceOutputsAreConstantsInTheStepManager() {
        FrozenReference ref = new FrozenReference(target);
        student.hfParameters().values().forEach(p -> p.getArray().setRequiresGradient(true));
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray refLogits = ref.logits(batch.forget(), step);
            NDArray hidden = ref.hidden(batch.retain(), 0, step);
            assertSame(step, refLogits.getManager());
            assertSame(step, hidden.getManager());
            assertSame(step, Forward.logits(student, batch.forget(), true).getManager());
            // (DJL's hasGradient() reports false for every non-leaf, so probe the graph through backward:
            // torch refuses to differentiate a tensor that has no grad_fn.)
            EngineException e = assertThrows(EngineException.class, () -> gc.backward(refLogits.sum()));
            assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
            assertThrows(EngineException.class, () -> gc.backward(hidden.sum()));
            // a full NPO backward reaches the student only
            NDArray l = new Npo().objective(student, ref, MethodConfig.defaults("npo")).compute(batch, step).value();
            gc.backward(l);
        }
        target.hfParameters().values().forEach(p -> assertFalse(p.getArray().hasGradient()));
        double g = student.hfParameters().get("model.layers.1.mlp.up_proj.weight").getArray().getGradient()
                .abs().sum().getFloat();
        assertTrue(g > 0 && Double.isFinite(g), "student gradient " + g);
        student.hfParameters().values().forEach(p -> p.getArray().setRequiresGradient(false));
        // a model whose weights require gradients cannot be a reference
        other.hfParameters().values().iterator().next().getArray().setRequiresGradient(true);
        assertThrows(IllegalStateException.class, () -> new FrozenReference(other));
    }
}

package dev.lethe.core.unlearn;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.model.Decoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.lethe.core.unlearn.Fixtures.TINY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End-to-end runs on a tiny model: a few optimizer steps each, lr raised so that they move the model. */
class UnlearningRunTest {

    NDManager root;
    Decoder target;
    UnlearningData data;

    @BeforeEach
    void setUp() {
        root = NDManager.newBaseManager();
        target = Decoder.random(TINY, root, 1);
        data = Fixtures.data(8, 12, 3);
    }

    @AfterEach
    void tearDown() {
        root.close();
    }

    /** 8 forget rows, batch 4: 2 steps per epoch; lr 1e-3 because a tiny random model needs a real step. */
    static MethodConfig quick(String method, int epochs) {
        return MethodConfig.builder(method).optLearningRate(3e-3).optEpochs(epochs).optBatchSize(4).build();
    }

    @Test
    void gradAscentRaisesTheForgetNllAndGradDiffKeepsTheRetainNllLower() {
        double forgetBefore = Fixtures.meanNll(target, data.forget());
        double retainBefore = Fixtures.meanNll(target, data.retain());
        float[] targetHead = target.hfParameters().get("lm_head.weight").getArray().toFloatArray();
        double gaRetain;
        try (UnlearningResult r = MethodRegistry.get("ga").unlearn(target, data, quick("ga", 3))) {
            assertTrue(r.training().completed(), r.training().message());
            assertEquals(6, r.training().losses().size());
            double after = Fixtures.meanNll(r.model(), data.forget());
            assertTrue(after > forgetBefore + 0.5, "forget NLL " + forgetBefore + " → " + after);
            // the logged loss is −NLL on the batch, so it falls
            List<Double> l = r.training().losses();
            assertTrue(l.get(l.size() - 1) < l.get(0), l.toString());
            gaRetain = Fixtures.meanNll(r.model(), data.retain());
        }
        assertTrue(java.util.Arrays.equals(targetHead,
                target.hfParameters().get("lm_head.weight").getArray().toFloatArray()), "target must not change");
        try (UnlearningResult r = MethodRegistry.get("graddiff").unlearn(target, data, quick("graddiff", 3))) {
            double gdRetain = Fixtures.meanNll(r.model(), data.retain());
            assertTrue(gdRetain < gaRetain - 0.1,
                    "retain NLL: start " + retainBefore + ", GradAscent " + gaRetain + ", GradDiff " + gdRetain);
            assertTrue(Fixtures.meanNll(r.model(), data.forget()) > forgetBefore, "GradDiff still unlearns");
        }
    }

    @Test
    void everyMethodTrainsToFiniteWeightsAndRecordsItsConfig() {
        for (String name : MethodRegistry.names()) {
            try (UnlearningResult r = MethodRegistry.get(name).unlearn(target, data, quick(name, 1))) {
                assertTrue(r.training().completed(), name + ": " + r.training().message());
                assertEquals(2, r.training().losses().size(), name);
                r.training().losses().forEach(l -> assertTrue(Double.isFinite(l), name + " loss " + l));
                Map<String, String> p = r.provenance();
                assertEquals(name, p.get("method"));
                assertEquals("0.003", p.get("lr"));
                assertEquals("2", p.get("steps"));
                assertEquals("2", p.get("warmup_steps"));
                assertEquals("8", p.get("forget_rows"));
                double nll = Fixtures.meanNll(r.model(), data.forget());
                assertTrue(Double.isFinite(nll), name);
                if (name.equals("rmu")) {
                    assertEquals("0", p.get("rmu_layer_effective"));
                    assertEquals("10", p.get("trained_tensors"), "embedding + 9 tensors of layer 0");
                }
            }
        }
    }

    @Test
    void sameSeedSameRunAndTheSeedMatters() {
        List<Double> a;
        List<Double> b;
        List<Double> c;
        try (UnlearningResult r = MethodRegistry.get("npo").unlearn(target, data, quick("npo", 1))) {
            a = r.training().losses();
        }
        try (UnlearningResult r = MethodRegistry.get("npo").unlearn(target, data, quick("npo", 1))) {
            b = r.training().losses();
        }
        MethodConfig other = quick("npo", 1).withOverrides(Map.of("seed", "1"));
        try (UnlearningResult r = MethodRegistry.get("npo").unlearn(target, data, other)) {
            c = r.training().losses();
        }
        assertEquals(a, b);
        assertNotEquals(a, c, "another seed pairs other rows");
        // the first logged loss is NPO at θ = ref on micro-batch 0: (2/β)·ln 2 + retain NLL
        try (NDManager m = root.newSubManager()) {
            ForgetRetainBatch first = new ForgetRetainPairing(data, 4, 0).batch(0, m);
            assertEquals(20 * Math.log(2) + Fixtures.meanNll(target, first.retain()), a.get(0), 2e-4);
        }
    }

    @Test
    void missingInputsFailBeforeTraining() {
        UnlearningData noAlternatives = UnlearningData.of(data.forget(), data.retain(), Fixtures.PAD);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MethodRegistry.get("idkdpo").unlearn(target, noAlternatives, quick("idkdpo", 1)));
        assertTrue(e.getMessage().contains("alternative"), e.getMessage());
        UnlearningData noRetain = UnlearningData.of(data.forget(), List.of(), Fixtures.PAD);
        assertThrows(IllegalArgumentException.class,
                () -> MethodRegistry.get("graddiff").unlearn(target, noRetain, quick("graddiff", 1)));
        assertThrows(IllegalArgumentException.class,
                () -> MethodRegistry.get("npo").unlearn(target, data, quick("simnpo", 1)));
        // GradAscent and UNDIAL (α = 0) need no retain rows
        try (UnlearningResult r = MethodRegistry.get("undial").unlearn(target, noRetain, quick("undial", 1))) {
            assertTrue(r.training().completed());
        }
    }
}

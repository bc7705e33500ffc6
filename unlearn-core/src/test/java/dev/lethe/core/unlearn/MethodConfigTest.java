package dev.lethe.core.unlearn;

import dev.lethe.core.train.TrainConfig;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MethodConfigTest {

    @Test
    void registryListsTheEightBaselines() {
        assertEquals(List.of("ga", "graddiff", "kl", "idkdpo", "npo", "simnpo", "rmu", "undial"),
                MethodRegistry.names());
        for (String name : MethodRegistry.names()) {
            assertEquals(name, MethodRegistry.get(name).name());
            assertEquals(name, MethodConfig.defaults(name).method());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MethodRegistry.get("npo2"));
        assertTrue(e.getMessage().contains("npo2") && e.getMessage().contains("simnpo, rmu, undial"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MethodRegistry.register(new GradAscent()));
    }

    @Test
    void defaultsFollowTheSpecTable() {
        for (String name : MethodRegistry.names()) {
            MethodConfig c = MethodConfig.defaults(name);
            assertEquals(name.equals("undial") ? 1e-4 : 1e-5, c.learningRate(), name);
            assertEquals(10, c.epochs());
            assertEquals(32, c.batchSize() * c.gradAccum(), "OU's effective batch");
            assertEquals(1.0, c.warmupEpochs());
            assertEquals(0.01, c.weightDecay());
            assertEquals(0L, c.seed());
        }
        assertFalse(MethodConfig.defaults("ga").has(MethodConfig.Key.ALPHA), "GradAscent has no retain term");
        MethodConfig gd = MethodConfig.defaults("graddiff");
        assertEquals(1.0, gd.gamma());
        assertEquals(1.0, gd.alpha());
        assertEquals(RetainLoss.NLL, gd.retainLoss());
        assertFalse(MethodConfig.defaults("kl").has(MethodConfig.Key.RETAIN_LOSS), "kl's retain term is KL");
        for (String pref : List.of("npo", "idkdpo")) {
            MethodConfig c = MethodConfig.defaults(pref);
            assertEquals(0.1, c.beta());
            assertEquals(1.0, c.alpha());
            assertEquals(1.0, c.gamma());
            assertEquals(RetainLoss.NLL, c.retainLoss());
        }
        MethodConfig sim = MethodConfig.defaults("simnpo");
        assertEquals(4.5, sim.beta());
        assertEquals(0.0, sim.delta());
        assertEquals(0.125, sim.gamma());
        assertEquals(1.0, sim.alpha());
        MethodConfig rmu = MethodConfig.defaults("rmu");
        assertEquals(2.0, rmu.steeringCoeff());
        assertEquals(1.0, rmu.alpha());
        assertEquals(1.0, rmu.gamma());
        assertEquals(-1, rmu.rmuLayer());
        MethodConfig undial = MethodConfig.defaults("undial");
        assertEquals(10.0, undial.beta());
        assertEquals(0.0, undial.alpha());
        assertEquals(MethodConfig.UndialIgnored.WRAP, undial.undialIgnored());
    }

    @Test
    void overridesParseAndAreRecorded() {
        Map<String, String> set = new LinkedHashMap<>();
        set.put("beta", "0.5");
        set.put("lr", "2e-5");
        set.put("epochs", "5");
        set.put("seed", "7");
        set.put("retain_loss_type", "kl");
        MethodConfig c = MethodConfig.defaults("npo").withOverrides(set);
        assertEquals(0.5, c.beta());
        assertEquals(2e-5, c.learningRate());
        assertEquals(5, c.epochs());
        assertEquals(7L, c.seed());
        assertEquals(RetainLoss.KL, c.retainLoss());
        Map<String, String> p = c.toMap();
        assertEquals("npo", p.get("method"));
        assertEquals("0.5", p.get("beta"));
        assertEquals("KL", p.get("retain_loss_type"));
        assertEquals("10", MethodConfig.defaults("npo").toMap().get("epochs"), "defaults are untouched");
        assertEquals(c, MethodConfig.builder("npo").optBeta(0.5).optLearningRate(2e-5).optEpochs(5).optSeed(7)
                .optRetainLoss(RetainLoss.KL).build());
        assertEquals("skip", MethodConfig.defaults("undial").withOverrides(Map.of("undial_ignored", "SKIP"))
                .toMap().get("undial_ignored"));
    }

    @Test
    void badOverridesFailClearly() {
        MethodConfig npo = MethodConfig.defaults("npo");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> npo.withOverrides(Map.of("betta", "0.2")));
        assertTrue(unknown.getMessage().contains("Unknown key 'betta'")
                && unknown.getMessage().contains("beta"), unknown.getMessage());
        IllegalArgumentException foreign = assertThrows(IllegalArgumentException.class,
                () -> npo.withOverrides(Map.of("steering_coeff", "3")));
        assertTrue(foreign.getMessage().contains("does not apply to method npo"), foreign.getMessage());
        IllegalArgumentException badNumber = assertThrows(IllegalArgumentException.class,
                () -> npo.withOverrides(Map.of("beta", "abc")));
        assertTrue(badNumber.getMessage().contains("'beta' = 'abc'"), badNumber.getMessage());
        assertThrows(IllegalArgumentException.class, () -> npo.withOverrides(Map.of("beta", "-1")));
        assertThrows(IllegalArgumentException.class, () -> npo.withOverrides(Map.of("epochs", "0")));
        assertThrows(IllegalArgumentException.class, () -> npo.withOverrides(Map.of("retain_loss_type", "MSE")));
        assertThrows(IllegalArgumentException.class, () -> MethodConfig.defaults("ga").alpha());
        assertThrows(IllegalArgumentException.class, () -> MethodConfig.builder("ga").optBeta(1));
    }

    @Test
    void scheduleIsOneEpochOfWarmupThenLinearDecay() {
        // forget01-sized: 40 rows, effective batch 32 → 2 steps per epoch, warm-up ⌊40/32⌋ = 1
        TrainConfig t = Unlearner.schedule(MethodConfig.defaults("npo"), 40, false, 0);
        assertEquals(20, t.steps());
        assertEquals(1, t.warmupSteps());
        assertEquals(1e-5, t.learningRate());
        assertEquals(0.01, t.weightDecay());
        assertEquals(1.0, t.clipNorm());
        assertEquals(TrainConfig.Decay.LINEAR, t.decay());
        // forget10 with 8 × 4 accumulation: 50 micro-batches per epoch, 500 in all → 125 steps
        MethodConfig acc = MethodConfig.builder("npo").optBatchSize(8).optGradAccum(4).build();
        TrainConfig a = Unlearner.schedule(acc, 400, false, 0);
        assertEquals(125, a.steps());
        assertEquals(12, a.warmupSteps());
        assertEquals(4, a.accumulation());
        assertSame(RetainLoss.NLL, acc.retainLoss());
    }
}

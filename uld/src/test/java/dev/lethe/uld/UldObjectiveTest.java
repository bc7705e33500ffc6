package dev.lethe.uld;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.lm.TokenLogProbs;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.train.LmBatch;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UldObjectiveTest {

    static final int V = 40;

    @Test
    void uniformLossIsZeroOnUniformLogitsInBothModes() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray labels = m.create(new long[][] {{-100, -100, 3, 4}, {-100, 5, 6, -100}});
            for (float c : new float[] {0f, 3.7f, -12f}) {
                NDArray flat = m.full(new Shape(2, 4, V), c);
                for (RetainLossMode mode : RetainLossMode.values()) {
                    assertEquals(0.0, UldObjective.uniformLoss(flat, labels, mode).getFloat(), 1e-6,
                            mode + " at constant " + c);
                }
            }
        }
    }

    @Test
    void uniformLossIsCrossEntropyToUniformMinusLogV() {
        try (NDManager m = NDManager.newBaseManager()) {
            Random r = new Random(2);
            int b = 2;
            int t = 4;
            float[] z = new float[b * t * V];
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) (r.nextGaussian() * 2);
            }
            long[][] lab = {{-100, -100, 3, 4}, {-100, 5, 6, -100}};
            NDArray logits = m.create(z, new Shape(b, t, V));
            NDArray labels = m.create(lab);
            double[] kl = new double[b * t];
            for (int p = 0; p < b * t; p++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int v = 0; v < V; v++) {
                    max = Math.max(max, z[p * V + v]);
                }
                double s = 0;
                for (int v = 0; v < V; v++) {
                    s += Math.exp(z[p * V + v] - max);
                }
                double lse = max + Math.log(s);
                double ce = 0; // CE(U, p) = −(1/V) Σ log p_v
                for (int v = 0; v < V; v++) {
                    ce -= (z[p * V + v] - lse) / V;
                }
                kl[p] = ce - Math.log(V);
                assertTrue(kl[p] > 0, "KL(U‖p) > 0 for non-uniform p");
            }
            double all = java.util.Arrays.stream(kl).average().orElseThrow();
            assertEquals(all, UldObjective.uniformLoss(logits, labels, RetainLossMode.FAITHFUL).getFloat(), 1e-5);
            // masked: position t counts when label t+1 is set → row 0: t = 1, 2; row 1: t = 0, 1
            double masked = (kl[1] + kl[2] + kl[4] + kl[5]) / 4;
            assertEquals(masked, UldObjective.uniformLoss(logits, labels, RetainLossMode.MASKED).getFloat(), 1e-5);
        }
    }

    @Test
    void combinedLossIsForgetCePlusLambdaTimesFlatLossEachAveragedInItsOwnSubBatch() {
        try (NDManager m = NDManager.newBaseManager(); Decoder target = Fixtures.target(m, 8);
             Assistant a = AssistantBuilder.builder().setTarget(target).setLayers(2).build();
             NDManager step = m.newSubManager()) {
            long[][] fIds = {{1, 4, 5, 6, 7}, {1, 8, 9, 2, 2}};
            long[][] fMask = {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}};
            long[][] fLab = {{-100, -100, 5, 6, 7}, {-100, -100, 9, -100, -100}};
            long[][] rIds = {{1, 10, 11, 12}};
            long[][] rMask = {{1, 1, 1, 1}};
            long[][] rLab = {{-100, -100, 11, 12}};
            LmBatch forget = new LmBatch(TokenBatch.of(step, fIds, fMask, null), step.create(fLab));
            LmBatch retain = new LmBatch(TokenBatch.of(step, rIds, rMask, null), step.create(rLab));
            UldObjective obj = new UldObjective(a.decoder(), 5.0, RetainLossMode.FAITHFUL);
            float lf = obj.forgetLoss(forget, false).getFloat();
            NDArray fLogits = a.decoder().logits(forget.tokens());
            assertEquals(TokenLogProbs.of(fLogits, forget.labels()).meanNll().getFloat(), lf, 1e-6);
            float lr = obj.retainLoss(retain, false).getFloat();
            assertTrue(lr > 0);
            // LoRA dropout is active in training mode, so compare with dropout 0 through a second assistant
            try (Assistant noDrop = AssistantBuilder.builder().setTarget(target).setLayers(2).optLora(16, 32, 0)
                    .build()) {
                UldObjective o2 = new UldObjective(noDrop.decoder(), 5.0, RetainLossMode.FAITHFUL);
                float both = o2.compute(new ForgetRetainBatch(forget, retain), step).value().getFloat();
                assertEquals(lf + 5.0 * lr, both, 1e-4);
                assertEquals(lf, o2.compute(new ForgetRetainBatch(forget, null), step).value().getFloat(), 1e-5,
                        "an empty retain side contributes 0");
                assertEquals(5.0 * lr, o2.compute(new ForgetRetainBatch(null, retain), step).value().getFloat(),
                        1e-4, "an empty forget side contributes 0");
            }
        }
    }

    @Test
    void jointForwardGivesTheLossesOfSeparatePassesWhicheverSideIsWider() {
        try (NDManager m = NDManager.newBaseManager(); Decoder target = Fixtures.target(m, 8);
             Assistant a = AssistantBuilder.builder().setTarget(target).setLayers(2).optLora(4, 8, 0).build();
             NDManager step = m.newSubManager()) {
            a.decoder().hfParameters().forEach((name, p) -> {
                if (name.contains("lora_B")) {
                    p.getArray().set(p.getArray().getManager().randomNormal(p.getArray().getShape()).mul(0.1)
                            .toFloatArray());
                }
            });
            long[][] fIds = {{1, 4, 5}};
            long[][] fMask = {{1, 1, 1}};
            long[][] fLab = {{-100, 4, 5}};
            long[][] rIds = {{1, 10, 11, 12, 13, 2}, {1, 14, 15, 2, 2, 2}};
            long[][] rMask = {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 0, 0, 0}};
            long[][] rLab = {{-100, -100, 11, 12, 13, -100}, {-100, -100, 15, -100, -100, -100}};
            LmBatch forget = new LmBatch(TokenBatch.of(step, fIds, fMask, null), step.create(fLab));
            LmBatch retain = new LmBatch(TokenBatch.of(step, rIds, rMask, null), step.create(rLab));
            for (RetainLossMode mode : RetainLossMode.values()) {
                UldObjective obj = new UldObjective(a.decoder(), 3.0, mode);
                double separate = obj.forgetLoss(forget, true).getFloat() + 3.0 * obj.retainLoss(retain, true).getFloat();
                double joint = obj.compute(new ForgetRetainBatch(forget, retain), step).value().getFloat();
                assertEquals(separate, joint, 1e-5, mode.name());
                assertTrue(separate > 0.1, "the adapters are live: the check compares real losses");
            }
        }
    }
}

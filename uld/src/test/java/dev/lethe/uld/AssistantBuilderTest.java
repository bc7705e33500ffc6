package dev.lethe.uld;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.lora.LoraConfig;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.model.InitWeights;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AssistantBuilderTest {

    static final long[][] IDS = {{1, 5, 9, 33, 7, 60, 2, 41}, {1, 12, 13, 14, 2, 2, 2, 2}};
    static final long[][] MASK = {{1, 1, 1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 0, 0, 0}};

    @Test
    void freshAssistantIsExactlyTheTargetTruncatedAfterKLayers() {
        try (NDManager m = NDManager.newBaseManager(); Decoder target = Fixtures.target(m, 3)) {
            for (int k = 1; k <= 3; k++) {
                try (Assistant a = AssistantBuilder.builder().setTarget(target).setLayers(k).optLora(4, 8, 0.05)
                        .optSeed(k).build(); NDManager sm = m.newSubManager()) {
                    assertEquals(k, a.layers());
                    assertEquals(k, a.decoder().config().numHiddenLayers());
                    assertEquals(target.config().withLayers(k), a.decoder().config());
                    TokenBatch batch = TokenBatch.of(sm, IDS, MASK, null);
                    float[] mine = a.decoder().logits(batch).toFloatArray();
                    float[] truncated = target.forward(Decoder.Input.ids(batch.ids())
                            .optAttentionMask(batch.attentionMask()).optLayers(k)).logits().toFloatArray();
                    assertArrayEquals(truncated, mine, 0f, "K = " + k + ": B = 0 must reproduce the truncation");
                    float[] full = target.logits(batch).toFloatArray();
                    assertFalse(java.util.Arrays.equals(full, mine), "a truncation differs from the full target");
                }
            }
        }
    }

    @Test
    void onlyLoraOnEveryLinearOfEveryAssistantLayerIsTrainable() {
        try (NDManager m = NDManager.newBaseManager(); Decoder target = Fixtures.target(m, 4);
             Assistant a = AssistantBuilder.builder().setTarget(target).setLayers(2).optLora(4, 8, 0).build()) {
            assertEquals(2 * LoraConfig.ALL_LINEAR.size(), a.lora().adapters().size());
            Map<String, Parameter> trainable = a.trainableParameters();
            assertEquals(2 * 2 * LoraConfig.ALL_LINEAR.size(), trainable.size());
            assertTrue(trainable.containsKey("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight"));
            assertTrue(a.decoder().trainableParameters().isEmpty(), "every copied weight is frozen");
            assertTrue(trainable.values().stream().allMatch(Parameter::requiresGradient));
            assertTrue(a.lora().adapters().keySet().stream().noneMatch(s -> s.contains("lm_head")));
            assertEquals(8.0 / 4, a.lora().config().scale());
        }
    }

    @Test
    void copiedWeightsAreIndependentOfTheTarget() {
        try (NDManager m = NDManager.newBaseManager(); Decoder target = Fixtures.target(m, 5);
             NDManager sm = m.newSubManager()) {
            TokenBatch batch = TokenBatch.of(sm, IDS, MASK, null);
            float[] before = target.logits(batch).toFloatArray();
            try (Assistant a = AssistantBuilder.builder().setTarget(target).setLayers(2).build()) {
                Fixtures.randomizeAdapters(a, 1, 0.5);
                a.merge(); // writes B·A into the assistant's copies of q/k/v/... weights
                a.decoder().embeddingWeight().getArray().addi(1f);
            }
            assertArrayEquals(before, target.logits(batch).toFloatArray(), 0f, "the target must never change");
            assertFalse(target.hfParameters().get("model.layers.0.self_attn.q_proj.weight").getArray()
                    .getDataType().isBoolean());
        }
    }

    @Test
    void tiedEmbeddingsAreCopiedOnce() {
        DecoderConfig tied = new DecoderConfig("llama", 48, 32, 64, 3, 4, 4, 1e-5, 10000, 64, true, false, 1, 2, 2);
        try (NDManager m = NDManager.newBaseManager();
             Decoder target = new Decoder(tied, m, new InitWeights(2, 0.3, 3));
             Assistant a = AssistantBuilder.builder().setTarget(target).setLayers(1).build();
             NDManager sm = m.newSubManager()) {
            assertFalse(a.decoder().hfParameters().containsKey("lm_head.weight"));
            NDArray ids = sm.create(new long[][] {{1, 7, 8, 9}});
            assertArrayEquals(target.forward(Decoder.Input.ids(ids).optLayers(1)).logits().toFloatArray(),
                    a.decoder().forward(Decoder.Input.ids(ids)).logits().toFloatArray(), 0f);
        }
    }

    @Test
    void layerCountIsValidatedAndAutomaticKFollowsTheReferenceRatio() {
        try (NDManager m = NDManager.newBaseManager(); Decoder target = Fixtures.target(m, 6)) {
            assertThrows(IllegalArgumentException.class,
                    () -> AssistantBuilder.builder().setTarget(target).setLayers(5).build());
            assertThrows(IllegalArgumentException.class,
                    () -> AssistantBuilder.builder().setTarget(target).setLayers(0).build());
        }
        UldConfig ref = UldConfig.reference();
        assertEquals(8, ref.assistantLayersFor(32), "Llama-2-7B: 8 of 32 (uld.md §2)");
        assertEquals(1, ref.assistantLayersFor(4));
        assertEquals(1, ref.assistantLayersFor(2));
        assertEquals(1, UldConfig.tiny().assistantLayersFor(4));
    }
}

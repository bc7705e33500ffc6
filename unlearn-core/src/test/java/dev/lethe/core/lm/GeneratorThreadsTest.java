package dev.lethe.core.lm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.model.InitWeights;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The decoding-thread policy: narrow steps on one libtorch thread, the caller's setting restored. */
class GeneratorThreadsTest {

    @Test
    void automaticPolicyNarrowsOnlySmallSteps() {
        Generator auto = Generator.builder().build();
        assertEquals(1, auto.stepThreads(1, 256));
        assertEquals(1, auto.stepThreads(15, 256));
        assertEquals(0, auto.stepThreads(16, 256)); // batch × hidden = 4096: keep the process setting
        assertEquals(0, auto.stepThreads(1, 4096));
        assertEquals(3, Generator.builder().optDecodeThreads(3).build().stepThreads(1, 256));
        assertEquals(0, Generator.builder().optDecodeThreads(0).build().stepThreads(1, 256));
        assertThrows(IllegalArgumentException.class, () -> Generator.builder().optDecodeThreads(-2).build());
    }

    @Test
    void stepsRunOnOneThreadAndTheSettingIsRestoredWithTheSameTokens() {
        Engine.getInstance();
        int original = JniUtils.getNumThreads();
        DecoderConfig c = new DecoderConfig("llama", 37, 32, 48, 2, 4, 2, 1e-6, 500.0, 64, false, false, 1, 2, 2);
        try (NDManager m = NDManager.newBaseManager();
             Decoder d = new Decoder(c, m, new InitWeights(7, 0.3, c.numHiddenLayers()))) {
            JniUtils.setNumThreads(2);
            List<Integer> seen = new ArrayList<>();
            LogitsProcessor record = (logits, generated) -> {
                seen.add(JniUtils.getNumThreads());
                return logits;
            };
            List<long[]> prompts = List.of(new long[] {1, 5, 6}, new long[] {1, 9});
            List<Generator.Output> narrow = Generator.builder().optMaxNewTokens(6).optLogitsProcessor(record).build()
                    .generate(d, prompts);
            assertEquals(2, JniUtils.getNumThreads(), "the caller's setting is back");
            assertTrue(!seen.isEmpty() && seen.stream().allMatch(n -> n == 1), "steps saw " + seen);
            List<Generator.Output> wide = Generator.builder().optMaxNewTokens(6).optDecodeThreads(0).build()
                    .generate(d, prompts);
            for (int i = 0; i < prompts.size(); i++) {
                assertArrayEquals(wide.get(i).tokens(), narrow.get(i).tokens(), "row " + i);
            }
        } finally {
            JniUtils.setNumThreads(original);
        }
    }
}

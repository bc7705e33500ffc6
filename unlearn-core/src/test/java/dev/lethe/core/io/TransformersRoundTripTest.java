package dev.lethe.core.io;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.model.InitWeights;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Hugging Face transformers itself loads a Lethe checkpoint ({@code scripts/python/check_with_transformers.py}:
 * no missing or unexpected tensor, the same logits, the tokenizer files), saves it again in its own layout,
 * and Lethe loads that back bit for bit. Runs where {@code python3} has transformers and torch; skipped
 * elsewhere (CI has neither).
 */
class TransformersRoundTripTest {

    /** Word-level tokenizer.json over {@code vocab} ids: {@code <unk>, <s>, </s>, w3, w4, …}, adding no BOS. */
    static Path tokenizer(Path dir, int vocab) throws Exception {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        for (int i = 3; i < vocab; i++) {
            tokens.add("w" + i);
        }
        return HfCheckpointTest.tokenizer(dir, tokens, 3, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2"})
    void transformersLoadsTheCheckpointAndLetheLoadsTransformersSaveBitForBit(String type, @TempDir Path tmp)
            throws Exception {
        String python = HfLayoutPythonCheckTest.pythonWith("transformers, torch");
        Assumptions.assumeTrue(python != null, "no python3 with transformers and torch here");
        Path script = Path.of("..", "scripts", "python", "check_with_transformers.py").toAbsolutePath().normalize();
        // GQA (4 query heads over 2 kv heads), untied head; qwen2 adds q/k/v biases
        DecoderConfig c = new DecoderConfig(type, 50, 32, 56, 2, 4, 2, 1e-6, 10000.0, 64, false, type.equals("qwen2"),
                1, 2, 2);
        long[] ids = {1, 17, 4, 33, 8, 8, 49, 2, 13};
        float[] logits;
        try (NDManager m = NDManager.newBaseManager(); Decoder d = new Decoder(c, m, new InitWeights(9, 0.2, 2))) {
            HfCheckpoint.save(d, tokenizer(tmp.resolve("tok"), c.vocabSize()), null, tmp.resolve("lethe"));
            logits = d.logits(TokenBatch.single(m, ids)).toFloatArray();
        }
        HfLayoutPythonCheckTest.writeJson(tmp.resolve("logits.json"), logits);
        List<String> cmd = new ArrayList<>(List.of(python, script.toString(), tmp.resolve("lethe").toString(),
                "--ids", Arrays.stream(ids).mapToObj(Long::toString).collect(Collectors.joining(",")),
                "--logits", tmp.resolve("logits.json").toString(), "--save", tmp.resolve("hf").toString()));
        if (type.equals("llama")) {
            // transformers maps a qwen2 checkpoint's tokenizer to its own Qwen2Tokenizer, which adds Qwen's
            // special tokens to whatever vocabulary it is given; a Lethe world's tokenizer is Llama-style
            cmd.add("--tokenizer");
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(300, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), out);
        try (NDManager m = NDManager.newBaseManager(); Decoder back = HfCheckpoint.load(tmp.resolve("hf"), m)) {
            assertEquals(c, back.config().withTokens(c.vocabSize(), c.bosTokenId(), c.eosTokenId(), c.padTokenId()),
                    "config after transformers' save");
            assertArrayEquals(logits, back.logits(TokenBatch.single(m, ids)).toFloatArray(), 0f);
        }
    }
}

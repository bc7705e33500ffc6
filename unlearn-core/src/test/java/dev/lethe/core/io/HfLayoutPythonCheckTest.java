package dev.lethe.core.io;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.model.InitWeights;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Cross-checks a saved checkpoint with {@code scripts/python/check_hf_llama.py}, an independent reader and
 * forward pass written from transformers' LlamaForCausalLM definitions in PyTorch. Runs where a Python
 * with torch is installed (Debian: python3-torch); skipped elsewhere.
 */
class HfLayoutPythonCheckTest {

    static String pythonWithTorch() {
        return pythonWith("torch, numpy");
    }

    /** The first of Debian's and the PATH's python3 that can import {@code modules}, or null. */
    static String pythonWith(String modules) {
        for (String py : new String[] {"/usr/bin/python3", "python3"}) {
            try {
                Process p = new ProcessBuilder(py, "-c", "import " + modules).redirectErrorStream(true).start();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return py;
                }
            } catch (Exception ignored) {
                // try the next one
            }
        }
        return null;
    }

    /** {@code values} as a JSON array, for the python checks to read. */
    static Path writeJson(Path file, float[] values) throws java.io.IOException {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            json.append(i == 0 ? "" : ",").append(values[i]);
        }
        return Files.writeString(file, json.append("]").toString());
    }

    @Test
    void pythonReferenceReadsTheCheckpointAndReproducesTheLogits(@TempDir Path tmp) throws Exception {
        String py = pythonWithTorch();
        Assumptions.assumeTrue(py != null, "no python3 with torch here");
        Path script = Path.of("..", "scripts", "python", "check_hf_llama.py").toAbsolutePath().normalize();
        Assumptions.assumeTrue(Files.isRegularFile(script), "check script not found at " + script);
        DecoderConfig c = new DecoderConfig("llama", 50, 32, 56, 2, 4, 2, 1e-5, 10000.0, 64, false, false, 1, 2, 2);
        long[] ids = {1, 17, 4, 33, 8, 8, 49, 2, 13};
        try (NDManager m = NDManager.newBaseManager(); Decoder d = new Decoder(c, m, new InitWeights(9, 0.2, 2))) {
            HfCheckpoint.save(d, (Path) null, null, tmp.resolve("ckpt"));
            writeJson(tmp.resolve("logits.json"), d.logits(TokenBatch.single(m, ids)).toFloatArray());
        }
        Process p = new ProcessBuilder(py, script.toString(), tmp.resolve("ckpt").toString(), "--ids",
                Arrays.stream(ids).mapToObj(Long::toString).collect(Collectors.joining(",")),
                "--logits", tmp.resolve("logits.json").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(120, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), out);
    }
}

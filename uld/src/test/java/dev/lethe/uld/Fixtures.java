package dev.lethe.uld;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.lethe.core.lora.LoraAdapter;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.model.InitWeights;

import java.util.Random;

/** Tiny models shared by the tests (d ≤ 64). */
final class Fixtures {

    /** V 64, d 32, ffn 64, 4 layers, 4 heads over 2 KV heads (GQA), 128 positions. */
    static final DecoderConfig TINY = DecoderConfig.llama(64, 32, 64, 4, 4, 2, 128);

    private Fixtures() {}

    /** A random target with weights large enough (std 0.3) that its distributions are far from uniform. */
    static Decoder target(NDManager m, long seed) {
        return new Decoder(TINY, m, new InitWeights(seed, 0.3, TINY.numHiddenLayers()));
    }

    /** Gives every LoRA B a random value so the assistant differs from the truncated target. */
    static void randomizeAdapters(Assistant a, long seed, double std) {
        Random r = new Random(seed);
        for (LoraAdapter ad : a.lora().adapters().values()) {
            Parameter b = ad.b();
            NDArray arr = b.getArray();
            float[] v = new float[Math.toIntExact(arr.size())];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * std);
            }
            arr.set(v);
        }
    }

    static float[] row(float[] flat, int row, int width) {
        return java.util.Arrays.copyOfRange(flat, row * width, (row + 1) * width);
    }
}

package dev.lethe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Random;

/**
 * nanoGPT-style initialisation, explicit and seeded: every matrix N(0, 0.02), the residual-stream outputs
 * ({@code o_proj}, {@code down_proj}) N(0, 0.02/√(2L)) so the residual variance does not grow with depth,
 * norm gains 1, biases 0.
 *
 * <p>Values are drawn in Java from one {@link Random} in HF tensor order, so the same seed gives the same
 * model on any engine, thread count or device.
 */
public final class InitWeights implements WeightSource {

    private final Random random;
    private final double std;
    private final double residualStd;

    public InitWeights(long seed, int layers) {
        this(seed, 0.02, layers);
    }

    public InitWeights(long seed, double std, int layers) {
        this.random = new Random(seed);
        this.std = std;
        this.residualStd = std / Math.sqrt(2.0 * layers);
    }

    @Override
    public NDArray tensor(String name, Shape shape, NDManager manager) {
        float[] data = new float[Math.toIntExact(shape.size())];
        if (name.endsWith("norm.weight")) {
            java.util.Arrays.fill(data, 1f);
        } else if (name.endsWith(".bias")) {
            // zeros
        } else {
            double s = name.endsWith("o_proj.weight") || name.endsWith("down_proj.weight") ? residualStd : std;
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) (random.nextGaussian() * s);
            }
        }
        return manager.create(data, shape);
    }
}

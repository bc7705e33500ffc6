package dev.lethe.core.lora;

import dev.lethe.core.util.Scalars;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import dev.lethe.core.model.Projection;

import java.util.Random;

/**
 * One LoRA update {@code Δy = (α/r) · B·A·dropout(x)} on a {@link Projection}: A {@code [r, in]} is
 * Kaiming-uniform initialised (as PEFT: U(−1/√in, 1/√in)), B {@code [out, r]} starts at zero, so a fresh
 * adapter changes nothing.
 */
public final class LoraAdapter implements Projection.Adapter {

    private final Projection target;
    private final Parameter a;
    private final Parameter b;
    private final float scale;
    private final float dropout;
    private boolean merged;

    LoraAdapter(Projection target, int rank, double scale, double dropout, NDManager manager, Random random) {
        this.target = target;
        this.scale = (float) scale;
        this.dropout = (float) dropout;
        int in = target.inFeatures();
        float bound = (float) (1.0 / Math.sqrt(in));
        float[] av = new float[rank * in];
        for (int i = 0; i < av.length; i++) {
            av[i] = (random.nextFloat() * 2 - 1) * bound;
        }
        a = Parameter.builder().setName("lora_A.weight").setType(Parameter.Type.WEIGHT).build();
        a.setArray(manager.create(av, new Shape(rank, in)));
        b = Parameter.builder().setName("lora_B.weight").setType(Parameter.Type.WEIGHT).build();
        b.setArray(manager.zeros(new Shape(target.outFeatures(), rank)));
    }

    public Parameter a() {
        return a;
    }

    public Parameter b() {
        return b;
    }

    public Projection target() {
        return target;
    }

    public boolean isMerged() {
        return merged;
    }

    @Override
    public NDArray delta(NDArray x, boolean training) {
        NDArray in = training && dropout > 0 ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
        NDArray low = Linear.linear(in, a.getArray(), null).singletonOrThrow();
        return Scalars.mul(Linear.linear(low, b.getArray(), null).singletonOrThrow(), scale);
    }

    /** The dense update {@code (α/r)·B·A} with the base weight's shape. */
    public NDArray denseUpdate() {
        return b.getArray().matMul(a.getArray()).mul(scale);
    }

    /** Folds the update into the base weight and detaches from the projection (inference speed). */
    void merge() {
        if (merged) {
            return;
        }
        try (NDArray u = denseUpdate()) {
            target.weight().getArray().addi(u);
        }
        target.setAdapter(null);
        merged = true;
    }

    /** Undoes {@link #merge}: subtracts the update and re-attaches. */
    void unmerge() {
        if (!merged) {
            return;
        }
        try (NDArray u = denseUpdate()) {
            target.weight().getArray().subi(u);
        }
        target.setAdapter(this);
        merged = false;
    }
}

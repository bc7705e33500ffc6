package dev.lethe.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW with decay groups and global-norm clipping, on DJL's fused native Adam kernel.
 *
 * <p>Why not DJL's {@code AdamW} optimizer: it applies one weight decay to every parameter (norms and
 * biases must not decay, as in nanoGPT's {@code configure_optimizers}) and its {@code clipGrad} clamps
 * only the upper side. Here the clip is a global rescale {@code min(1, c/‖g‖)} passed to the kernel as
 * {@code rescaleGrad}, and decay is 0 for tensors of rank &lt; 2.
 *
 * <p>The native kernel computes {@code w ← w(1 − lr·wd) − lr_bc · m / (√v + ε')}; with
 * {@code lr_bc = lr·√(1−β₂ᵗ)/(1−β₁ᵗ)} and {@code ε' = ε·√(1−β₂ᵗ)} this is exactly PyTorch's AdamW
 * update ({@code m̂/(√v̂ + ε)}). It does not zero gradients; {@link #zeroGradients} does.
 */
public final class AdamW implements AutoCloseable {

    private final Map<String, Parameter> params;
    private final TrainConfig config;
    private final NDManager state;
    private final Map<String, NDArray> mean = new LinkedHashMap<>();
    private final Map<String, NDArray> variance = new LinkedHashMap<>();

    public AdamW(Map<String, Parameter> params, TrainConfig config, NDManager parent) {
        this.params = params;
        this.config = config;
        this.state = parent.newSubManager();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            NDArray w = e.getValue().getArray();
            mean.put(e.getKey(), state.zeros(w.getShape(), w.getDataType()));
            variance.put(e.getKey(), state.zeros(w.getShape(), w.getDataType()));
        }
    }

    /** Global L2 norm of all gradients (NaN/Inf when any gradient is not finite). */
    public double gradientNorm(NDManager step) {
        List<NDArray> norms = new ArrayList<>();
        for (Parameter p : params.values()) {
            NDArray g = p.getArray().getGradient();
            g.attach(step);
            norms.add(g.square().sum());
        }
        if (norms.isEmpty()) {
            return 0;
        }
        NDArray total = NDArrays.stack(new NDList(norms)).sum();
        return Math.sqrt(total.getFloat());
    }

    /**
     * One update at optimizer step {@code t} (1-based) with learning rate {@code lr}; gradients are first
     * multiplied by {@code gradScale} (the clip factor).
     */
    public void update(int t, double lr, double gradScale, NDManager step) {
        double bc1 = 1 - Math.pow(config.beta1(), t);
        double bc2 = 1 - Math.pow(config.beta2(), t);
        float lrBiasCorrected = (float) (lr * Math.sqrt(bc2) / bc1);
        float eps = (float) (config.epsilon() * Math.sqrt(bc2));
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            NDArray w = e.getValue().getArray();
            NDArray g = w.getGradient();
            g.attach(step);
            float wd = w.getShape().dimension() >= 2 ? (float) config.weightDecay() : 0f;
            JniUtils.adamUpdate((PtNDArray) w, (PtNDArray) g, (PtNDArray) mean.get(e.getKey()),
                    (PtNDArray) variance.get(e.getKey()), (float) lr, lrBiasCorrected, wd, (float) gradScale,
                    -1f, (float) config.beta1(), (float) config.beta2(), eps, true);
        }
    }

    public void zeroGradients() {
        for (Parameter p : params.values()) {
            JniUtils.zeroGrad((PtNDArray) p.getArray());
        }
    }

    /** Moment estimates by {@code <param>.exp_avg} / {@code <param>.exp_avg_sq}, for checkpoints. */
    public Map<String, NDArray> stateTensors() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (String k : params.keySet()) {
            out.put(k + ".exp_avg", mean.get(k));
            out.put(k + ".exp_avg_sq", variance.get(k));
        }
        return out;
    }

    /** Restores moments saved by {@link #stateTensors}. */
    public void loadState(Map<String, float[]> tensors) {
        for (String k : params.keySet()) {
            float[] m = tensors.get(k + ".exp_avg");
            float[] v = tensors.get(k + ".exp_avg_sq");
            if (m == null || v == null) {
                throw new IllegalArgumentException("Optimizer state lacks moments for " + k);
            }
            mean.get(k).set(m);
            variance.get(k).set(v);
        }
    }

    @Override
    public void close() {
        state.close();
    }
}

package dev.lethe.core.unlearn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import dev.lethe.core.lm.TokenLogProbs;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.train.LmBatch;
import dev.lethe.core.train.Objective;
import dev.lethe.core.util.Scalars;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * RMU ({@code rmu}): push the output h_l of one decoder layer on forget answers toward a fixed random
 * direction scaled to c, and keep it at the reference's on retain answers:
 * <pre>
 * L_forget = mean_rows  mean_{answer tokens}  mean_d (h_l − c·u)²
 * L_retain = mean_rows  mean_{answer tokens}  mean_d (h_l − h_l^ref)²          (OU's EMBED_DIFF)
 * </pre>
 * u has uniform [0, 1) entries, normalised (OU: {@code torch.rand}, drawn here from a Java {@link Random}
 * seeded by the config seed, so the direction differs from OU's but is reproducible). "Answer tokens" are the
 * positions whose own label is not −100 (unshifted: h_t is the state at token t). c = 2, α = 1, γ = 1.
 *
 * <p>Layer: OU steers {@code model.layers.7} of 16- and 32-layer models. The default here is
 * {@code min(7, (L−1)/2)}: OU's layer on those models and the middle layer of a smaller one (layer 0 of a
 * 2-layer toy model, 1 of a 4-layer one). Only the layers up to l run in the student, and only the embedding
 * and those layers are trained: OU marks every parameter trainable, but the others never get a gradient
 * and PyTorch's AdamW leaves them untouched.
 */
public final class Rmu implements UnlearningMethod {

    @Override
    public String name() {
        return "rmu";
    }

    @Override
    public MethodConfig defaults() {
        return MethodConfig.schedule(name()).declare(MethodConfig.Key.STEERING_COEFF, 2.0)
                .declare(MethodConfig.Key.ALPHA, 1.0).declare(MethodConfig.Key.GAMMA, 1.0)
                .declare(MethodConfig.Key.RMU_LAYER, -1);
    }

    /** The steered layer for a model with {@code layers} decoder layers. */
    public static int layer(MethodConfig config, int layers) {
        int l = config.rmuLayer() >= 0 ? config.rmuLayer() : Math.min(7, (layers - 1) / 2);
        if (l >= layers) {
            throw new IllegalArgumentException("rmu_layer " + l + " does not exist: the model has " + layers
                    + " layers (0.." + (layers - 1) + ")");
        }
        return l;
    }

    /** The target activation c·u, u a seeded random unit vector of the model width. */
    public static float[] control(int width, double coeff, long seed) {
        Random r = new Random(ForgetRetainPairing.mix(seed, 0x524D55L)); // "RMU"
        double[] u = new double[width];
        double norm = 0;
        for (int i = 0; i < width; i++) {
            u[i] = r.nextDouble();
            norm += u[i] * u[i];
        }
        norm = Math.sqrt(norm);
        float[] out = new float[width];
        for (int i = 0; i < width; i++) {
            out[i] = (float) (u[i] / norm * coeff);
        }
        return out;
    }

    public static LossTerm forgetTerm(Decoder model, int layer, float[] control) {
        return (b, step) -> {
            LmBatch f = b.forget();
            NDArray h = Forward.hidden(model, f, layer, true);
            return maskedMse(h, step.create(control), f.labels());
        };
    }

    public static LossTerm retainTerm(Decoder model, FrozenReference reference, int layer) {
        return (b, step) -> {
            LmBatch r = b.requireRetain("RMU's retain term");
            NDArray h = Forward.hidden(model, r, layer, true);
            return maskedMse(h, reference.hidden(r, layer, step), r.labels());
        };
    }

    /**
     * OU's {@code compute_activation_loss}: per row, the squared error averaged over the width and then over
     * the labelled positions; then the mean over rows. A row with no labelled position contributes 0.
     */
    static NDArray maskedMse(NDArray h, NDArray target, NDArray labels) {
        NDArray perToken = h.sub(target).square().mean(new int[] {2});
        NDArray mask = labels.neq(TokenLogProbs.IGNORE).toType(DataType.FLOAT32, false);
        NDArray count = mask.sum(new int[] {1});
        return perToken.mul(mask).sum(new int[] {1}).div(count.maximum(Scalars.scalar(count, 1))).mean();
    }

    @Override
    public Objective<ForgetRetainBatch> objective(Decoder model, FrozenReference reference, MethodConfig config) {
        int l = layer(config, model.layers().size());
        float[] c = control(model.config().hiddenSize(), config.steeringCoeff(), config.seed());
        return new ForgetRetainObjective(forgetTerm(model, l, c), config.gamma(),
                retainTerm(model, reference, l), config.alpha());
    }

    @Override
    public Map<String, Parameter> trainableParameters(Decoder model, MethodConfig config) {
        int l = layer(config, model.layers().size());
        Map<String, Parameter> out = new LinkedHashMap<>();
        model.hfParameters().forEach((name, p) -> {
            if (name.equals("model.embed_tokens.weight") || layerOf(name) >= 0 && layerOf(name) <= l) {
                out.put(name, p);
            }
        });
        return out;
    }

    private static int layerOf(String hfName) {
        String prefix = "model.layers.";
        if (!hfName.startsWith(prefix)) {
            return -1;
        }
        int end = hfName.indexOf('.', prefix.length());
        return Integer.parseInt(hfName.substring(prefix.length(), end));
    }

    @Override
    public Map<String, String> describe(Decoder model, MethodConfig config) {
        return Map.of("rmu_layer_effective", String.valueOf(layer(config, model.layers().size())));
    }

}

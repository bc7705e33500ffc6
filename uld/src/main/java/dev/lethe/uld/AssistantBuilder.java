package dev.lethe.uld;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.lethe.core.lora.Lora;
import dev.lethe.core.lora.LoraConfig;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.model.WeightSource;

import java.util.Map;

/**
 * Builds ULD's assistant from a target (uld.md §2): a config identical to the target's but with K layers, and
 * copies of the target's embedding, layers {@code 0..K-1}, final RMSNorm (reused after layer K−1) and LM head,
 * all frozen; then LoRA on every {@code nn.Linear} of the K layers except the LM head.
 *
 * <pre>
 * Assistant a = AssistantBuilder.builder().setTarget(target).setLayers(2)
 *         .optLora(16, 32, 0.05).optSeed(0).build();
 * </pre>
 *
 * <p>The tensors are <em>copies</em>, not shared arrays: merging the adapters writes into the assistant's weights,
 * which must never change the target's.
 */
public final class AssistantBuilder {

    private Decoder target;
    private int layers = -1;
    private int rank = 16;
    private double alpha = 32;
    private double dropout = 0.05;
    private long seed;
    private NDManager manager;

    private AssistantBuilder() {}

    public static AssistantBuilder builder() {
        return new AssistantBuilder();
    }

    /** Required: the frozen model to cut the assistant from. */
    public AssistantBuilder setTarget(Decoder target) {
        this.target = target;
        return this;
    }

    /** Required: K, the number of leading target layers to copy (1 ≤ K ≤ target layers). */
    public AssistantBuilder setLayers(int k) {
        this.layers = k;
        return this;
    }

    /** LoRA r, alpha and dropout (reference code: 16, 32, 0.05). */
    public AssistantBuilder optLora(int rank, double alpha, double dropout) {
        this.rank = rank;
        this.alpha = alpha;
        this.dropout = dropout;
        return this;
    }

    /** Seeds LoRA A's initialisation (B starts at zero). */
    public AssistantBuilder optSeed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Parent manager of the assistant's weights; default: the target's manager. */
    public AssistantBuilder optManager(NDManager manager) {
        this.manager = manager;
        return this;
    }

    /** Applies K and the LoRA settings of {@code config} for a target with {@code target}'s depth. */
    public AssistantBuilder optConfig(UldConfig config) {
        if (target == null) {
            throw new IllegalStateException("setTarget before optConfig");
        }
        this.layers = config.assistantLayersFor(target.config().numHiddenLayers());
        return optLora(config.loraRank(), config.loraAlpha(), config.loraDropout()).optSeed(config.seed());
    }

    public Assistant build() {
        if (target == null) {
            throw new IllegalStateException("setTarget is required");
        }
        int n = target.config().numHiddenLayers();
        if (layers < 1 || layers > n) {
            throw new IllegalArgumentException("assistant layers must be in [1, " + n + "], got " + layers);
        }
        DecoderConfig config = target.config().withLayers(layers);
        Decoder decoder = new Decoder(config, manager != null ? manager : target.manager(),
                copyOf(target.hfParameters()), target.maskPolicy());
        try {
            Lora lora = Lora.attach(decoder, new LoraConfig(rank, alpha, dropout, LoraConfig.ALL_LINEAR, -1), seed);
            return new Assistant(decoder, lora, n);
        } catch (RuntimeException e) {
            decoder.close();
            throw e;
        }
    }

    /**
     * Duplicates the target's tensor of the same HF name. Every name a K-layer decoder asks for exists in the
     * target (same config but fewer layers), so a missing name is a bug, not a user error.
     */
    private static WeightSource copyOf(Map<String, Parameter> source) {
        return (name, shape, m) -> {
            Parameter p = source.get(name);
            if (p == null) {
                throw new IllegalStateException("target has no tensor '" + name + "'");
            }
            NDArray copy = p.getArray().duplicate();
            copy.attach(m);
            return copy;
        };
    }
}

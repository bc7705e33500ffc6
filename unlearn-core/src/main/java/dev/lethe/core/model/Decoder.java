package dev.lethe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.lethe.core.lm.DecodingSession;
import dev.lethe.core.lm.LanguageModel;
import dev.lethe.core.lm.TokenBatch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Llama-style decoder: embedding → N × {@link DecoderLayer} → RMSNorm → LM head (tied or not).
 *
 * <p>Read top to bottom like nanoGPT's {@code GPT}: the constructor lays out the blocks under their
 * Hugging Face names and asks a {@link WeightSource} for every tensor once; {@link #forward} is the whole
 * computation. {@link #hfParameters()} maps each HF tensor name ({@code model.layers.3.self_attn.q_proj.weight})
 * to its DJL {@link Parameter}, which is all checkpoint IO needs.
 *
 * <p>The decoder owns a sub-manager holding its weights and RoPE tables; closing the decoder frees them.
 */
public final class Decoder extends AbstractBlock implements LanguageModel {

    private final DecoderConfig config;
    private final NDManager manager;
    private final MaskPolicy maskPolicy;
    private final Parameter embedding;
    private final List<DecoderLayer> layers = new ArrayList<>();
    private final RmsNorm norm;
    private final Parameter lmHead;
    private final Rope rope;
    private final Map<String, Parameter> hfParameters = new LinkedHashMap<>();

    public Decoder(DecoderConfig config, NDManager parent, WeightSource weights) {
        this(config, parent, weights, MaskPolicy.CAUSAL);
    }

    public Decoder(DecoderConfig config, NDManager parent, WeightSource weights, MaskPolicy maskPolicy) {
        super((byte) 1);
        this.config = config;
        this.maskPolicy = maskPolicy;
        this.manager = parent.newSubManager();
        embedding = addParameter(Parameter.builder().setName("embed_tokens.weight")
                .setType(Parameter.Type.WEIGHT).build());
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(addChildBlock("layers." + i, new DecoderLayer(config)));
        }
        norm = addChildBlock("norm", new RmsNorm(config.hiddenSize(), config.rmsNormEps()));
        lmHead = config.tieWordEmbeddings() ? embedding
                : addParameter(Parameter.builder().setName("lm_head.weight").setType(Parameter.Type.WEIGHT).build());
        rope = new Rope(manager, config.headDim(), maskPolicy.positionLimit(config.maxPositionEmbeddings()),
                config.ropeTheta(),
                (float) (1.0 / Math.sqrt(config.headDim())), config.numAttentionHeads(), config.numKeyValueHeads());

        register("model.embed_tokens.weight", embedding, new Shape(config.vocabSize(), config.hiddenSize()));
        for (int i = 0; i < layers.size(); i++) {
            DecoderLayer l = layers.get(i);
            String p = "model.layers." + i + ".";
            register(p + "input_layernorm.weight", l.inputNorm().weight(), new Shape(config.hiddenSize()));
            registerProjection(p + "self_attn.q_proj", l.attention().qProj());
            registerProjection(p + "self_attn.k_proj", l.attention().kProj());
            registerProjection(p + "self_attn.v_proj", l.attention().vProj());
            registerProjection(p + "self_attn.o_proj", l.attention().oProj());
            register(p + "post_attention_layernorm.weight", l.postAttentionNorm().weight(),
                    new Shape(config.hiddenSize()));
            registerProjection(p + "mlp.gate_proj", l.mlp().gateProj());
            registerProjection(p + "mlp.up_proj", l.mlp().upProj());
            registerProjection(p + "mlp.down_proj", l.mlp().downProj());
        }
        register("model.norm.weight", norm.weight(), new Shape(config.hiddenSize()));
        if (!config.tieWordEmbeddings()) {
            register("lm_head.weight", lmHead, new Shape(config.vocabSize(), config.hiddenSize()));
        }
        try {
            for (Map.Entry<String, Parameter> e : hfParameters.entrySet()) {
                Shape shape = expectedShapes.get(e.getKey());
                NDArray a = weights.tensor(e.getKey(), shape, manager);
                if (!a.getShape().equals(shape)) {
                    throw new IllegalArgumentException("Tensor " + e.getKey() + " has shape " + a.getShape()
                            + " but the config needs " + shape);
                }
                if (a.getDataType() != DataType.FLOAT32) {
                    a = a.toType(DataType.FLOAT32, false);
                }
                a.attach(manager);
                e.getValue().setArray(a);
            }
            weights.finish();
        } catch (RuntimeException e) {
            rope.close();
            manager.close(); // nothing half-built survives a bad checkpoint
            throw e;
        }
        expectedShapes.clear();
    }

    private final Map<String, Shape> expectedShapes = new LinkedHashMap<>();

    private void register(String name, Parameter p, Shape shape) {
        hfParameters.put(name, p);
        expectedShapes.put(name, shape);
    }

    private void registerProjection(String prefix, Projection proj) {
        register(prefix + ".weight", proj.weight(), proj.weightShape());
        if (proj.bias() != null) {
            register(prefix + ".bias", proj.bias(), new Shape(proj.outFeatures()));
        }
    }

    /** A freshly initialised decoder (see {@link InitWeights}). */
    public static Decoder random(DecoderConfig config, NDManager parent, long seed) {
        return new Decoder(config, parent, new InitWeights(seed, config.numHiddenLayers()));
    }

    /**
     * A deep copy under {@code parent}: same config and mask policy, weights cloned into detached leaves that
     * share no memory with this decoder (training the copy leaves this one untouched). LoRA adapters are
     * not copied: merge them first.
     */
    public Decoder copy(NDManager parent) {
        return copy(parent, config, maskPolicy);
    }

    /**
     * As {@link #copy(NDManager)}, under another {@code config} (same weight shapes, e.g. another
     * {@code max_position_embeddings}) and mask {@code policy}.
     */
    public Decoder copy(NDManager parent, DecoderConfig config, MaskPolicy policy) {
        return new Decoder(config, parent, (name, shape, m) -> {
            NDArray clone = hfParameters.get(name).getArray().duplicate();
            // a clone of a tensor that requires grad would be a non-leaf of its graph: detach it
            NDArray leaf = clone.stopGradient();
            leaf.attach(m);
            clone.close();
            return leaf;
        }, policy);
    }

    @Override
    public DecoderConfig config() {
        return config;
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    public MaskPolicy maskPolicy() {
        return maskPolicy;
    }

    public List<DecoderLayer> layers() {
        return Collections.unmodifiableList(layers);
    }

    public RmsNorm finalNorm() {
        return norm;
    }

    public Parameter embeddingWeight() {
        return embedding;
    }

    public Parameter lmHeadWeight() {
        return lmHead;
    }

    /** HF tensor name → parameter, in checkpoint order; a tied LM head appears once, as the embedding. */
    public Map<String, Parameter> hfParameters() {
        return Collections.unmodifiableMap(hfParameters);
    }

    /** Parameters that will receive gradients (not frozen), in HF order. */
    public List<Parameter> trainableParameters() {
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : hfParameters.values()) {
            if (p.requiresGradient()) {
                out.add(p);
            }
        }
        return out;
    }

    /** Token embeddings {@code [B, T, d]} for ids {@code [B, T]} (ECO corrupts these before {@link #forward}). */
    public NDArray embed(NDArray ids) {
        return ids.getNDArrayInternal().embedding(ids, embedding.getArray(), SparseFormat.DENSE).singletonOrThrow();
    }

    /** What one forward pass takes. Build with {@link #ids} or {@link #embeddings}, then the {@code opt*}s. */
    public static final class Input {
        private final NDArray ids;
        private final NDArray embeddings;
        private NDArray attentionMask;
        private NDArray positionIds;
        private KvCache cache;
        private int layers = -1;
        private boolean hiddenStates;
        private boolean logits = true;
        private boolean training;
        private FusedWeights fused;

        private Input(NDArray ids, NDArray embeddings) {
            this.ids = ids;
            this.embeddings = embeddings;
        }

        public static Input ids(NDArray ids) {
            return new Input(ids, null);
        }

        public static Input embeddings(NDArray embeddings) {
            return new Input(null, embeddings);
        }

        /** Padding mask of the new tokens {@code [B, T]}, 1 = token. */
        public Input optAttentionMask(NDArray mask) {
            this.attentionMask = mask;
            return this;
        }

        /** RoPE positions {@code [B, T]}; default: contiguous after the cache (as HF's forward). */
        public Input optPositionIds(NDArray positions) {
            this.positionIds = positions;
            return this;
        }

        public Input optCache(KvCache cache) {
            this.cache = cache;
            return this;
        }

        /** Run only the first {@code n} layers (then norm and head, unless {@link #optLogits} is false). */
        public Input optLayers(int n) {
            this.layers = n;
            return this;
        }

        /** Keep the residual stream after every layer (index 0 = embeddings). */
        public Input optHiddenStates(boolean keep) {
            this.hiddenStates = keep;
            return this;
        }

        public Input optLogits(boolean compute) {
            this.logits = compute;
            return this;
        }

        /** Pre-fused projection weights for inference (see {@link FusedWeights}). */
        public Input optFusedWeights(FusedWeights fused) {
            this.fused = fused;
            return this;
        }

        /** Training mode (enables adapter dropout). */
        public Input optTraining(boolean training) {
            this.training = training;
            return this;
        }
    }

    /**
     * @param logits {@code [B, T, V]}, or null when not asked for
     * @param lastHidden final residual stream after the last run layer, before the final norm
     * @param hiddenStates per-layer residual streams when asked for (index 0 = embeddings), else empty
     */
    public record Output(NDArray logits, NDArray lastHidden, List<NDArray> hiddenStates) {}

    /** The whole computation. */
    public Output forward(Input in) {
        NDArray h = in.embeddings != null ? in.embeddings : embed(in.ids);
        NDManager m = h.getManager();
        int t = (int) h.getShape().get(1);
        KvCache cache = in.cache;
        int past = cache == null ? 0 : cache.length();
        int stored = cache == null ? 0 : cache.stored();

        NDArray keyPadding = in.attentionMask;
        if (cache != null && (cache.padding() != null || in.attentionMask != null)) {
            long b = h.getShape().get(0);
            NDArray newPadding = in.attentionMask != null ? in.attentionMask : m.ones(new Shape(b, t), DataType.INT64);
            keyPadding = cache.keyPadding(m, newPadding); // written into the cache in place
        }
        AttentionPattern pattern = maskPolicy.pattern(m, t, stored, past - stored, keyPadding);
        NDArray mask = pattern.mask();
        Attention.Stationary stationary = pattern.stationary() == null ? null : stationary(pattern.stationary(), m);
        Attention.Stationary withTopK = pattern.middle() == null ? null
                : withMiddle(stationary, pattern.middle(), m, stored + t);

        NDArray positions = in.positionIds;
        if (positions == null && cache != null && cache.nextPosition() != null) {
            positions = cache.nextPosition().add(m.arange(0, t, 1, DataType.INT64).expandDims(0));
            positions.attach(m);
        }
        if (positions == null) {
            positions = pattern.positions(); // a policy that counts real tokens (LM-Infinite on padded rows)
        }
        Rope.Tables tables = positions != null ? rope.gather(positions) : rope.contiguous(m, past, t);

        int n = in.layers < 0 ? layers.size() : in.layers;
        List<NDArray> states = in.hiddenStates ? new ArrayList<>() : List.of();
        if (in.hiddenStates) {
            states.add(h);
        }
        for (int i = 0; i < n; i++) {
            boolean topK = pattern.middle() != null && pattern.middle().appliesTo(i);
            Attention.Stationary st = topK ? withTopK : stationary;
            NDArray layerMask = cache == null ? mask : cache.attentionMask(m, i, mask, t); // compressed layers differ
            h = layers.get(i).apply(h, tables, layerMask, cache, i, in.training, in.fused, st);
            if (in.hiddenStates) {
                states.add(h);
            }
        }
        if (cache != null) {
            NDArray next = positions == null ? null
                    : positions.get(":, -1:").add(1);
            cache.advance(m, t, next);
        }
        NDArray logits = in.logits ? lmHead(norm.apply(h)) : null;
        return new Output(logits, h, states);
    }

    /** A policy's stationary keys resolved against the RoPE tables. */
    private Attention.Stationary stationary(StationaryKeys sk, NDManager m) {
        Rope.Tables inverse = keyInverse(sk.keyPositions(), m, sk.count());
        return new Attention.Stationary(sk.count(), sk.mask(), rope.queryRows(sk.queryDistances()), inverse, null);
    }

    /** {@code st} (null: no far keys) plus the last query row's top-k middle keys among all {@code keys}. */
    private Attention.Stationary withMiddle(Attention.Stationary st, MiddleTopK mid, NDManager m, int keys) {
        NDArray at = m.create(new long[] {mid.insertAt()}, new Shape(1, 1));
        Rope.Tables inverse = keyInverse(mid.keyPositions(), m, keys);
        Attention.Middle middle = new Attention.Middle(mid.k(), mid.candidates(), rope.queryRows(at), inverse);
        return st == null ? new Attention.Stationary(0, null, null, null, middle) : st.withMiddle(middle);
    }

    /** Tables undoing the keys' rotation: at their recorded {@code positions}, or at slots {@code 0 .. len-1}. */
    private Rope.Tables keyInverse(NDArray positions, NDManager m, int len) {
        return positions == null ? rope.keyInverse(m, len) : rope.keyInverse(positions);
    }

    /** Logits from a residual stream (final norm already applied). */
    public NDArray lmHead(NDArray normed) {
        return Linear.linear(normed, lmHead.getArray(), null).singletonOrThrow();
    }

    @Override
    public NDArray logits(TokenBatch batch) {
        return forward(Input.ids(batch.ids()).optAttentionMask(batch.attentionMask())).logits();
    }

    /** The final norm and LM head run on the asked-for positions only. */
    @Override
    public NDArray logitsAt(TokenBatch batch, NDArray positions) {
        NDArray hidden = forward(Input.ids(batch.ids()).optAttentionMask(batch.attentionMask()).optLogits(false))
                .lastHidden();
        return logitsAt(hidden, positions);
    }

    /**
     * Logits {@code [N, V]} at flat positions {@code [N]} of a residual stream {@code [B, T, d]} taken
     * before the final norm. The rows are gathered as an embedding lookup: a well-trodden op whose backward
     * scatters into the stream, so training losses use it too.
     */
    public NDArray logitsAt(NDArray hidden, NDArray positions) {
        Shape s = hidden.getShape();
        NDArray flat = hidden.reshape(s.get(0) * s.get(1), s.get(2));
        NDArray rows = positions.getNDArrayInternal().embedding(positions, flat, SparseFormat.DENSE).singletonOrThrow();
        return lmHead(norm.apply(rows));
    }

    @Override
    public DecodingSession startDecoding(TokenBatch prompt) {
        return new DecoderSession(this, prompt, null, KvCachePolicy.of(maskPolicy));
    }

    /**
     * Incremental decoding whose prefill reads {@code prefillEmbeddings} {@code [B, T, d]} instead of the
     * prompt's token embeddings (ECO corrupts them); every later step embeds its token normally.
     */
    public DecodingSession startDecoding(TokenBatch prompt, NDArray prefillEmbeddings) {
        return new DecoderSession(this, prompt, prefillEmbeddings, KvCachePolicy.of(maskPolicy));
    }

    /**
     * Incremental decoding whose cache follows {@code policy} (SnapKV/UNComp selection at prefill, a sink
     * window, or {@link KvCachePolicy#FULL}). A prefill-selecting policy needs the causal mask.
     */
    public DecodingSession startDecoding(TokenBatch prompt, KvCachePolicy policy) {
        return new DecoderSession(this, prompt, null, policy);
    }

    /** A KV-cached session over this decoder; see {@link DecodingSession}. */
    private static final class DecoderSession implements DecodingSession {
        private final Decoder decoder;
        private final NDManager manager;
        private final KvCache cache;
        private final FusedWeights fused;
        private NDArray next;

        DecoderSession(Decoder decoder, TokenBatch prompt, NDArray prefillEmbeddings, KvCachePolicy policy) {
            SinkWindow eviction = policy.eviction();
            if (eviction != null && !eviction.equals(decoder.maskPolicy.cacheEviction())) {
                throw new IllegalArgumentException("KV policy " + policy + " needs a mask policy that reads a "
                        + "sink-window cache of the same shape (LM-Infinite's Λ mask), not " + decoder.maskPolicy);
            }
            if (policy.observationWindow() > 0 && decoder.maskPolicy != MaskPolicy.CAUSAL) {
                throw new IllegalArgumentException("KV policy " + policy + " selects keys per head and needs the "
                        + "causal mask, not " + decoder.maskPolicy);
            }
            this.decoder = decoder;
            this.manager = prompt.ids().getManager().newSubManager();
            this.cache = new KvCache(manager, decoder.layers.size(), eviction);
            this.fused = FusedWeights.of(decoder, manager);
            try {
                prefill(prompt, prefillEmbeddings, policy);
            } catch (RuntimeException e) {
                manager.close(); // nothing of a failed start outlives it
                throw e;
            }
        }

        private void prefill(TokenBatch prompt, NDArray prefillEmbeddings, KvCachePolicy policy) {
            cache.observeQueries(policy.observationWindow());
            try (NDManager step = manager.newSubManager()) {
                NDArray first = (prefillEmbeddings != null ? prefillEmbeddings : prompt.ids()).duplicate();
                first.attach(step);
                Input in = (prefillEmbeddings != null ? Input.embeddings(first) : Input.ids(first)).optCache(cache)
                        .optFusedWeights(fused);
                NDArray mask = prompt.attentionMask().toType(DataType.INT64, false);
                if (mask.min().getLong() == 0) {
                    // HF generate(): positions count real tokens, so left padding does not shift RoPE.
                    NDArray positions = mask.cumSum(1).sub(1).maximum(0);
                    in.optAttentionMask(mask).optPositionIds(positions);
                } // else: no padding, so no mask and contiguous positions — the cheap path every step
                keep(decoder.forward(in).logits().get(":, -1, :"));
            }
            try (NDManager scratch = manager.newSubManager()) {
                policy.afterPrefill(cache, scratch);
            }
            cache.observeQueries(0);
        }

        private void keep(NDArray logits) {
            NDArray l = logits.duplicate();
            l.attach(manager);
            if (next != null) {
                next.close();
            }
            next = l;
        }

        @Override
        public NDArray nextLogits() {
            return next;
        }

        @Override
        public void append(NDArray tokens) {
            // Intermediates attach to the tokens' manager, which the caller closes; the cache and the kept
            // logits are copied into the session's own manager.
            NDArray ids = tokens.toType(DataType.INT64, false).reshape(-1, 1);
            Output out = decoder.forward(Input.ids(ids).optCache(cache).optFusedWeights(fused));
            NDArray l = out.logits();
            keep(l.reshape(l.getShape().get(0), l.getShape().get(2)));
        }

        @Override
        public void close() {
            manager.close();
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return new NDList(forward(Input.ids(inputs.get(0))
                .optAttentionMask(inputs.size() > 1 ? inputs.get(1) : null).optTraining(training)).logits());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), config.vocabSize())};
    }

    @Override
    protected void initializeChildBlocks(NDManager m, DataType dataType, Shape... inputShapes) {
        // Every tensor was set by the WeightSource in the constructor.
    }

    @Override
    public void close() {
        rope.close();
        manager.close();
    }
}

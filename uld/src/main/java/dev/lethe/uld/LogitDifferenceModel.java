package dev.lethe.uld;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import dev.lethe.core.lm.DecodingSession;
import dev.lethe.core.lm.LanguageModel;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.util.Scalars;

/**
 * The unlearned model of ULD: {@code z = z_target − α·z'_assistant} (uld.md §1, §6), where {@code z'_assistant}
 * is the assistant's logits zeroed outside the target's plausible set ({@link PlausibilityFilter}, rate r).
 *
 * <p>Two paths, exactly as the reference ({@code contrastllm.py}, {@code gen_util.py}) and deliberately different
 * (pitfall 6):
 * <ul>
 *   <li><b>teacher-forced scoring</b> ({@link #logits}; TOFU probabilities, truth ratio):
 *       {@code z = z_t − α·z'_a}; implausible tokens keep their raw target logits.
 *       With r = 0: {@code z_t − α·z_a}.</li>
 *   <li><b>generation</b> ({@link #startDecoding}, driven by core's {@code Generator}): the same combination,
 *       then implausible tokens set to −∞, so no decoding rule can pick them (the reference writes −1000, which
 *       gives the same greedy choice and, after softmax, the same zero probability). With r = 0:
 *       {@code log_softmax(z_t) − α·log_softmax(z_a)}. The reference's sampling path is broken, so only greedy
 *       decoding is reference behaviour; sampling here samples from these logits.</li>
 * </ul>
 * Both models see the same token ids and keep separate KV caches.
 *
 * <p>Configuration, vocabulary and manager are the target's. By default closing this model closes neither
 * model; {@link Builder#optCloseModels} hands their ownership over.
 */
public final class LogitDifferenceModel implements LanguageModel {

    private final LanguageModel target;
    private final LanguageModel assistant;
    private final double alpha;
    private final double filterRate;
    private final PlausibilityFilter filter;
    private final boolean closeModels;

    private LogitDifferenceModel(Builder b) {
        this.target = b.target;
        this.assistant = b.assistant;
        this.alpha = b.alpha;
        this.filterRate = b.filterRate;
        this.filter = b.filterRate > 0 ? new PlausibilityFilter(b.filterRate) : null;
        this.closeModels = b.closeModels;
    }

    public static Builder builder() {
        return new Builder();
    }

    public LanguageModel target() {
        return target;
    }

    public LanguageModel assistant() {
        return assistant;
    }

    /** α (the reference's weight w = −α). */
    public double alpha() {
        return alpha;
    }

    /** r; 0 = no plausibility filter. */
    public double filterRate() {
        return filterRate;
    }

    @Override
    public DecoderConfig config() {
        return target.config();
    }

    @Override
    public NDManager manager() {
        return target.manager();
    }

    @Override
    public NDArray logits(TokenBatch batch) {
        return scoringLogits(target.logits(batch), assistant.logits(batch));
    }

    /** As {@link #logits} on some positions: the filter and the difference work row by row. */
    @Override
    public NDArray logitsAt(TokenBatch batch, NDArray positions) {
        return scoringLogits(target.logitsAt(batch, positions), assistant.logitsAt(batch, positions));
    }

    /** The scoring-path combination of target and assistant logits {@code [..., V]}. */
    public NDArray scoringLogits(NDArray targetLogits, NDArray assistantLogits) {
        if (filter == null) {
            return targetLogits.sub(Scalars.mul(assistantLogits, alpha));
        }
        NDArray keep = filter.plausible(targetLogits);
        return targetLogits.sub(Scalars.mul(zeroOutside(keep, assistantLogits), alpha));
    }

    /** The generation-path combination of next-token logits {@code [..., V]}; implausible tokens at −∞. */
    public NDArray generationLogits(NDArray targetLogits, NDArray assistantLogits) {
        if (filter == null) {
            return targetLogits.logSoftmax(-1).sub(Scalars.mul(assistantLogits.logSoftmax(-1), alpha));
        }
        NDArray keep = filter.plausible(targetLogits);
        NDArray z = targetLogits.sub(Scalars.mul(zeroOutside(keep, assistantLogits), alpha));
        return NDArrays.where(keep, z, Scalars.scalar(z, Double.NEGATIVE_INFINITY).broadcast(z.getShape()));
    }

    /** {@code z_a'}: the assistant logits where plausible, 0 elsewhere ({@code where}, so no 0·∞ NaN). */
    private static NDArray zeroOutside(NDArray keep, NDArray assistantLogits) {
        return NDArrays.where(keep, assistantLogits, assistantLogits.zerosLike());
    }

    @Override
    public DecodingSession startDecoding(TokenBatch prompt) {
        return new Session(prompt);
    }

    /** Two KV-cached sessions advanced in lock-step; the combined logits are computed once per position. */
    private final class Session implements DecodingSession {
        private final NDManager manager;
        private final DecodingSession t;
        private final DecodingSession a;
        private NDArray next;

        Session(TokenBatch prompt) {
            this.manager = prompt.ids().getManager().newSubManager();
            // Each model gets its own copy of the prompt, owned by this session: a decoding session may keep
            // reading its prompt's arrays until it closes, and the caller may free the prompt before that.
            this.t = target.startDecoding(copyOf(prompt));
            DecodingSession started;
            try {
                started = assistant.startDecoding(copyOf(prompt));
            } catch (RuntimeException e) {
                t.close();
                manager.close();
                throw e;
            }
            this.a = started;
        }

        private TokenBatch copyOf(TokenBatch prompt) {
            NDArray ids = prompt.ids().duplicate();
            ids.attach(manager);
            NDArray mask = prompt.attentionMask().duplicate();
            mask.attach(manager);
            return new TokenBatch(ids, mask, prompt.promptLengths());
        }

        @Override
        public NDArray nextLogits() {
            if (next == null) {
                try (NDManager step = manager.newSubManager()) {
                    NDArray zt = t.nextLogits().duplicate();
                    zt.attach(step);
                    NDArray za = a.nextLogits().duplicate();
                    za.attach(step);
                    NDArray z = generationLogits(zt, za);
                    z.attach(manager);
                    next = z;
                }
            }
            return next;
        }

        @Override
        public void append(NDArray tokens) {
            if (next != null) {
                next.close();
                next = null;
            }
            t.append(tokens);
            a.append(tokens);
        }

        @Override
        public void close() {
            try {
                a.close();
            } finally {
                t.close();
                manager.close();
            }
        }
    }

    @Override
    public void close() {
        if (closeModels) {
            try {
                assistant.close();
            } finally {
                target.close();
            }
        }
    }

    /** {@code setTarget}, {@code setAssistant} required; α, r and ownership optional. */
    public static final class Builder {
        private LanguageModel target;
        private LanguageModel assistant;
        private double alpha = 0.8;
        private double filterRate = 0.01;
        private boolean closeModels;

        private Builder() {}

        public Builder setTarget(LanguageModel target) {
            this.target = target;
            return this;
        }

        public Builder setAssistant(LanguageModel assistant) {
            this.assistant = assistant;
            return this;
        }

        /** α ≥ 0 (default 0.8, the reference's TOFU eval call; the paper uses 0.75). */
        public Builder optAlpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** r in [0, 1] (default 0.01; 0 = no filter). */
        public Builder optFilterRate(double r) {
            this.filterRate = r;
            return this;
        }

        /** α and r of {@code config}. */
        public Builder optConfig(UldConfig config) {
            return optAlpha(config.alpha()).optFilterRate(config.filterRate());
        }

        /** Close both models when this model is closed (default false). */
        public Builder optCloseModels(boolean close) {
            this.closeModels = close;
            return this;
        }

        public LogitDifferenceModel build() {
            if (target == null || assistant == null) {
                throw new IllegalStateException("setTarget and setAssistant are required");
            }
            if (target.config().vocabSize() != assistant.config().vocabSize()) {
                throw new IllegalArgumentException("target and assistant vocabularies differ: "
                        + target.config().vocabSize() + " vs " + assistant.config().vocabSize());
            }
            if (!Double.isFinite(alpha) || filterRate < 0 || filterRate > 1) {
                throw new IllegalArgumentException("alpha must be finite and filter rate in [0, 1]");
            }
            return new LogitDifferenceModel(this);
        }
    }
}

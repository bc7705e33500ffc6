package dev.lethe.core.kv;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lethe.core.lm.DecodingSession;
import dev.lethe.core.lm.LanguageModel;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.model.KvCachePolicy;

/**
 * A decoder whose decoding sessions follow a {@link KvCachePolicy}, so the {@code Generator}, the
 * evaluator and the attacks can run on a compressed cache unchanged. Teacher-forced {@link #logits} are
 * the decoder's own (no cache is involved). A view: closing it leaves the decoder open.
 */
public final class KvPolicyModel implements LanguageModel {

    private final Decoder decoder;
    private final KvCachePolicy policy;

    public KvPolicyModel(Decoder decoder, KvCachePolicy policy) {
        this.decoder = decoder;
        this.policy = policy;
    }

    public KvCachePolicy policy() {
        return policy;
    }

    @Override
    public DecoderConfig config() {
        return decoder.config();
    }

    @Override
    public NDManager manager() {
        return decoder.manager();
    }

    @Override
    public NDArray logits(TokenBatch batch) {
        return decoder.logits(batch);
    }

    @Override
    public NDArray logitsAt(TokenBatch batch, NDArray positions) {
        return decoder.logitsAt(batch, positions);
    }

    @Override
    public DecodingSession startDecoding(TokenBatch prompt) {
        return decoder.startDecoding(prompt, policy);
    }

    @Override
    public void close() {
        // a view: the decoder belongs to whoever made it
    }
}

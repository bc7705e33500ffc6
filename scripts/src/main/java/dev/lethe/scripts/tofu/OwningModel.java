package dev.lethe.scripts.tofu;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lethe.core.lm.DecodingSession;
import dev.lethe.core.lm.LanguageModel;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.model.DecoderConfig;

import java.util.List;

/**
 * A composite model (ULD, ECO) together with the parts only it uses (an assistant, a classifier), closed
 * with it; the shared target stays open because the pipeline owns it.
 */
final class OwningModel implements LanguageModel {

    private final LanguageModel delegate;
    private final List<AutoCloseable> owned;

    OwningModel(LanguageModel delegate, AutoCloseable... owned) {
        this.delegate = delegate;
        this.owned = List.of(owned);
    }

    @Override
    public DecoderConfig config() {
        return delegate.config();
    }

    @Override
    public NDManager manager() {
        return delegate.manager();
    }

    @Override
    public NDArray logits(TokenBatch batch) {
        return delegate.logits(batch);
    }

    @Override
    public NDArray logitsAt(TokenBatch batch, NDArray positions) {
        return delegate.logitsAt(batch, positions);
    }

    @Override
    public DecodingSession startDecoding(TokenBatch prompt) {
        return delegate.startDecoding(prompt);
    }

    @Override
    public void close() {
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + c + ": " + e.getMessage(), e);
            }
        }
    }
}

package dev.lethe.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lethe.core.lm.DecodingSession;
import dev.lethe.core.lm.LanguageModel;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.text.QaEncoder;
import dev.lethe.core.text.QaEncoding;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test double: teacher-forced logits come from a real model, but decoding "generates" the dataset answer
 * of whatever prompt it is given (then EOS), so generation → decoding → ROUGE plumbing can be checked
 * against a known result (ROUGE-L recall 1) while every likelihood-based metric stays non-trivial.
 */
final class EchoModel implements LanguageModel {

    private final LanguageModel delegate;
    private final Map<List<Long>, long[]> continuations = new HashMap<>();

    EchoModel(LanguageModel delegate) {
        this.delegate = delegate;
    }

    /** Teaches the echo the answer of {@code question} under {@code encoder}'s template. */
    EchoModel learn(QaEncoder encoder, String question, String answer) {
        QaEncoding e = encoder.encode(question, answer);
        long[] prompt = Arrays.stream(encoder.encodePrompt(question)).asLongStream().toArray();
        long[] cont = Arrays.stream(Arrays.copyOfRange(e.ids(), e.promptLength(), e.length())).asLongStream().toArray();
        continuations.put(key(prompt, 0, prompt.length), cont);
        return this;
    }

    private static List<Long> key(long[] ids, int from, int to) {
        List<Long> k = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            k.add(ids[i]);
        }
        return k;
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
    public DecodingSession startDecoding(TokenBatch prompt) {
        int b = prompt.batchSize();
        int t = prompt.length();
        long[] ids = prompt.ids().toLongArray();
        long[] mask = prompt.attentionMask().toLongArray();
        long[][] rows = new long[b][];
        for (int i = 0; i < b; i++) {
            int start = 0;
            while (start < t && mask[i * t + start] == 0) {
                start++;
            }
            long[] c = continuations.get(key(ids, i * t + start, (i + 1) * t));
            rows[i] = c != null ? c : new long[] {config().eosTokenId()};
        }
        NDManager m = prompt.ids().getManager().newSubManager();
        int vocab = config().vocabSize();
        return new DecodingSession() {
            private int step;
            private NDArray current = make();

            private NDArray make() {
                float[] l = new float[b * vocab];
                for (int i = 0; i < b; i++) {
                    long tok = step < rows[i].length ? rows[i][step] : config().eosTokenId();
                    l[i * vocab + (int) tok] = 10f;
                }
                return m.create(l, new Shape(b, vocab));
            }

            @Override
            public NDArray nextLogits() {
                return current;
            }

            @Override
            public void append(NDArray tokens) {
                step++;
                current.close();
                current = make();
            }

            @Override
            public void close() {
                m.close();
            }
        };
    }

    @Override
    public void close() {
        // the delegate belongs to the test
    }
}

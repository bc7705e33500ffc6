package dev.lethe.core.train;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.text.Batch;
import dev.lethe.core.text.Collator;
import dev.lethe.core.text.QaEncoding;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Language-modelling batches over a fixed list of encoded examples: each epoch visits every example
 * once in a seeded random order, batches are right-padded. Batch {@code i} is a pure function of
 * (examples, batch size, seed, i), as {@link BatchSource} requires.
 */
public final class ShuffledBatches implements BatchSource<LmBatch> {

    private final List<QaEncoding> examples;
    private final int batchSize;
    private final long seed;
    private final Collator collator;
    private int cachedEpoch = -1;
    private int[] cachedOrder;

    public ShuffledBatches(List<QaEncoding> examples, int batchSize, long seed, int padId) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no training examples");
        }
        this.examples = List.copyOf(examples);
        this.batchSize = Math.min(batchSize, examples.size());
        this.seed = seed;
        this.collator = new Collator(padId);
    }

    /** Batches per epoch (the last one of an epoch may be smaller). */
    public int batchesPerEpoch() {
        return (examples.size() + batchSize - 1) / batchSize;
    }

    /** Optimizer steps for {@code epochs} passes at the given accumulation. */
    public int steps(double epochs, int accumulation) {
        return Math.max(1, (int) Math.ceil(epochs * batchesPerEpoch() / accumulation));
    }

    @Override
    public LmBatch batch(long index, NDManager manager) {
        int perEpoch = batchesPerEpoch();
        int epoch = (int) (index / perEpoch);
        int pos = (int) (index % perEpoch);
        int[] order = order(epoch);
        List<QaEncoding> items = new ArrayList<>(batchSize);
        for (int i = pos * batchSize; i < Math.min(examples.size(), (pos + 1) * batchSize); i++) {
            items.add(examples.get(order[i]));
        }
        Batch b = collator.rightPad(items);
        TokenBatch tokens = TokenBatch.of(manager, b.ids(), b.attentionMask(), null);
        return new LmBatch(tokens, TokenBatch.of(manager, b.labels(), b.attentionMask(), null).ids());
    }

    private synchronized int[] order(int epoch) {
        if (epoch != cachedEpoch) {
            int[] o = new int[examples.size()];
            for (int i = 0; i < o.length; i++) {
                o[i] = i;
            }
            Random r = new Random(seed * 1_000_003L + epoch);
            for (int i = o.length - 1; i > 0; i--) { // Fisher–Yates
                int j = r.nextInt(i + 1);
                int t = o[i];
                o[i] = o[j];
                o[j] = t;
            }
            cachedOrder = o;
            cachedEpoch = epoch;
        }
        return cachedOrder;
    }
}

package dev.lethe.core.unlearn;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.train.BatchSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * open-unlearning's {@code ForgetRetainDataset} with {@code anchor: forget}, as a {@link BatchSource}.
 *
 * <p>An epoch is one pass over the forget rows in an order shuffled per epoch; each forget row is paired with a
 * retain row drawn uniformly at random (with replacement, as OU's {@code random.randint} per item) and, when
 * the data has alternatives, one of its alternative rows drawn uniformly. Micro-batch {@code k} of an epoch holds
 * forget positions {@code [k·bs, (k+1)·bs)}; the last one of an epoch may be smaller (no {@code drop_last}).
 *
 * <p>Everything is a pure function of (seed, epoch): the same index always yields the same rows, which the
 * Trainer's resume and the reproducibility of a run rely on. Micro-batch indices run on across epochs, so
 * index {@code i} belongs to epoch {@code i / batchesPerEpoch()}.
 */
public final class ForgetRetainPairing implements BatchSource<ForgetRetainBatch> {

    private final UnlearningData data;
    private final int batchSize;
    private final long seed;
    private Epoch cached;

    /** Which rows one micro-batch holds, without any arrays. */
    public record Selection(int epoch, int[] forget, int[] retain, int[] alternative) {}

    private record Epoch(int index, int[] order, int[] retain, int[] alternative) {}

    public ForgetRetainPairing(UnlearningData data, int batchSize, long seed) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be ≥ 1, got " + batchSize);
        }
        this.data = data;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Micro-batches per pass over the forget set: ⌈|forget| / bs⌉. */
    public int batchesPerEpoch() {
        return (data.forget().size() + batchSize - 1) / batchSize;
    }

    /** The rows of micro-batch {@code index}. */
    public Selection select(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("negative batch index " + index);
        }
        int perEpoch = batchesPerEpoch();
        Epoch e = epoch(Math.toIntExact(index / perEpoch));
        int k = (int) (index % perEpoch);
        int from = k * batchSize;
        int to = Math.min(data.forget().size(), from + batchSize);
        int[] forget = new int[to - from];
        int[] retain = new int[e.retain.length == 0 ? 0 : to - from];
        int[] alternative = new int[e.alternative.length == 0 ? 0 : to - from];
        for (int i = from; i < to; i++) {
            forget[i - from] = e.order[i];
            if (retain.length > 0) {
                retain[i - from] = e.retain[i];
            }
            if (alternative.length > 0) {
                alternative[i - from] = e.alternative[i];
            }
        }
        return new Selection(e.index, forget, retain, alternative);
    }

    @Override
    public ForgetRetainBatch batch(long index, NDManager manager) {
        Selection s = select(index);
        List<LabeledRow> forget = new ArrayList<>();
        List<LabeledRow> retain = new ArrayList<>();
        List<LabeledRow> alternative = new ArrayList<>();
        for (int i = 0; i < s.forget.length; i++) {
            forget.add(data.forget().get(s.forget[i]));
            if (s.retain.length > 0) {
                retain.add(data.retain().get(s.retain[i]));
            }
            if (s.alternative.length > 0) {
                alternative.add(data.alternatives().get(s.forget[i]).get(s.alternative[i]));
            }
        }
        long pad = data.padId();
        return new ForgetRetainBatch(RowBatches.pad(forget, pad, manager),
                retain.isEmpty() ? null : RowBatches.pad(retain, pad, manager),
                alternative.isEmpty() ? null : RowBatches.pad(alternative, pad, manager),
                s.forget, s.retain);
    }

    /** The shuffled order and the draws of one epoch; cached because consecutive indices share an epoch. */
    private synchronized Epoch epoch(int index) {
        if (cached != null && cached.index == index) {
            return cached;
        }
        Random r = new Random(mix(seed, index));
        int n = data.forget().size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) { // Fisher–Yates
            int j = r.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        int retainSize = data.retain().size();
        int[] retain = new int[retainSize == 0 ? 0 : n];
        for (int i = 0; i < retain.length; i++) {
            retain[i] = r.nextInt(retainSize);
        }
        int[] alternative = new int[data.hasAlternatives() ? n : 0];
        for (int i = 0; i < alternative.length; i++) {
            alternative[i] = r.nextInt(data.alternatives().get(order[i]).size());
        }
        cached = new Epoch(index, order, retain, alternative);
        return cached;
    }

    /** SplitMix64 finaliser over (seed, epoch), so neighbouring epochs get unrelated streams. */
    static long mix(long seed, long epoch) {
        long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

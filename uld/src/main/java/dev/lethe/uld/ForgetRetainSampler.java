package dev.lethe.uld;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.text.QaEncoding;
import dev.lethe.core.train.BatchSource;
import dev.lethe.core.train.LmBatch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The reference's {@code EqualForgetRetainSampler} (uld.md §3.4) as a {@link BatchSource}.
 *
 * <p>Each epoch shuffles the forget indices and the retain indices separately, then interleaves them: every
 * forget index is followed by {@code round(|R| / |F|)} retain indices (1:1 on TOFU; at least 1 when there is any
 * retain data, so a small retain set is not dropped; retain indices wrap around their permutation when
 * exhausted). The epoch is cut into optimizer batches of {@code batchSize} consecutive entries (the last one may
 * be shorter), each batch into {@code accumulation} micro-batches, and every micro-batch is split into its
 * forget and retain rows.
 *
 * <p>Deterministic by index: the permutation of epoch e comes from {@code Random(seed, e)} alone, so
 * {@link #batch(long, NDManager)} returns the same rows for the same index on every call, in any order (the
 * {@link BatchSource} contract; resumed runs see the same batches).
 */
public final class ForgetRetainSampler implements BatchSource<ForgetRetainBatch> {

    private final List<QaEncoding> forget;
    private final List<QaEncoding> retain;
    private final int batchSize;
    private final int accumulation;
    private final long seed;
    private final int padId;
    private final int padLength;
    private final int retainPerForget;
    private final Map<Integer, int[][]> epochs = new HashMap<>();

    /**
     * @param padId id of padding tokens (their labels are ignored and their mask is 0)
     * @param padLength pad each sub-batch to at least this length (0 = its longest row)
     */
    public ForgetRetainSampler(List<QaEncoding> forget, List<QaEncoding> retain, int batchSize, int accumulation,
                               long seed, int padId, int padLength) {
        if (forget.isEmpty()) {
            throw new IllegalArgumentException("no forget examples");
        }
        if (batchSize < 1 || accumulation < 1 || batchSize % accumulation != 0) {
            throw new IllegalArgumentException("batchSize must be a positive multiple of accumulation");
        }
        this.forget = List.copyOf(forget);
        this.retain = List.copyOf(retain);
        this.batchSize = batchSize;
        this.accumulation = accumulation;
        this.seed = seed;
        this.padId = padId;
        this.padLength = padLength;
        this.retainPerForget = retain.isEmpty() ? 0
                : Math.max(1, (int) Math.round(retain.size() / (double) forget.size()));
    }

    /** Retain rows that follow each forget row. */
    public int retainPerForget() {
        return retainPerForget;
    }

    /** Entries in one epoch. */
    public int epochLength() {
        return forget.size() * (1 + retainPerForget);
    }

    /** Optimizer steps per epoch (the last batch may be short). */
    public int stepsPerEpoch() {
        return (epochLength() + batchSize - 1) / batchSize;
    }

    /**
     * The interleaved order of epoch {@code e}: entry i is {@code {0, forgetIndex}} or {@code {1, retainIndex}}.
     * Cached: the permutations are all a batch needs.
     */
    synchronized int[][] epoch(int e) {
        return epochs.computeIfAbsent(e, this::makeEpoch);
    }

    private int[][] makeEpoch(int e) {
        Random r = new Random(seed * 0x9E3779B97F4A7C15L + e);
        int[] fp = permutation(forget.size(), r);
        int[] rp = permutation(retain.size(), r);
        int[][] order = new int[epochLength()][];
        int k = 0;
        int j = 0;
        for (int f : fp) {
            order[k++] = new int[] {0, f};
            for (int i = 0; i < retainPerForget; i++) {
                order[k++] = new int[] {1, rp[j++ % rp.length]};
            }
        }
        return order;
    }

    private static int[] permutation(int n, Random r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int s = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[s];
            p[s] = t;
        }
        return p;
    }

    /** Which (kind, index) entries micro-batch {@code index} holds. */
    public List<int[]> entries(long index) {
        long step = index / accumulation;
        int micro = (int) (index % accumulation);
        int e = (int) (step / stepsPerEpoch());
        int b = (int) (step % stepsPerEpoch());
        int[][] order = epoch(e);
        int start = b * batchSize;
        int end = Math.min(order.length, start + batchSize);
        int per = (end - start + accumulation - 1) / accumulation;
        int from = Math.min(end, start + micro * per);
        int to = Math.min(end, from + per);
        return Arrays.asList(order).subList(from, to);
    }

    @Override
    public ForgetRetainBatch batch(long index, NDManager manager) {
        List<QaEncoding> f = new ArrayList<>();
        List<QaEncoding> r = new ArrayList<>();
        for (int[] entry : entries(index)) {
            (entry[0] == 0 ? f : r).add(entry[0] == 0 ? forget.get(entry[1]) : retain.get(entry[1]));
        }
        if (f.isEmpty() && r.isEmpty()) {
            // a short last batch split into more micro-batches than it has rows: repeat its first row's side
            // rather than fail; the loss of a duplicated row is harmless and this only happens with accumulation
            List<int[]> any = entries(index - index % accumulation);
            int[] entry = any.get(0);
            (entry[0] == 0 ? f : r).add(entry[0] == 0 ? forget.get(entry[1]) : retain.get(entry[1]));
        }
        return new ForgetRetainBatch(f.isEmpty() ? null : pad(f, manager), r.isEmpty() ? null : pad(r, manager));
    }

    /** Right-pads rows (labels −100 and mask 0 on padding) into an {@link LmBatch} in {@code manager}. */
    LmBatch pad(List<QaEncoding> rows, NDManager manager) {
        int width = Math.max(padLength, rows.stream().mapToInt(QaEncoding::length).max().orElse(0));
        long[][] ids = new long[rows.size()][width];
        long[][] labels = new long[rows.size()][width];
        long[][] mask = new long[rows.size()][width];
        for (int i = 0; i < rows.size(); i++) {
            QaEncoding q = rows.get(i);
            Arrays.fill(ids[i], padId);
            Arrays.fill(labels[i], QaEncoding.IGNORE);
            for (int t = 0; t < q.length(); t++) {
                ids[i][t] = q.ids()[t];
                labels[i][t] = q.labels()[t];
                mask[i][t] = 1;
            }
        }
        TokenBatch tokens = TokenBatch.of(manager, ids, mask, null);
        return new LmBatch(tokens, TokenBatch.of(manager, labels, mask, null).ids());
    }
}

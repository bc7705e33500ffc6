package dev.lethe.core.longctx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lethe.core.model.AttentionPattern;
import dev.lethe.core.model.MaskPolicy;
import dev.lethe.core.model.MiddleTopK;
import dev.lethe.core.model.SinkWindow;
import dev.lethe.core.model.StationaryKeys;

/**
 * LM-Infinite's Λ-shaped attention (Han et al., arXiv 2308.16137). Query i sees key j ≤ i when
 * <ul>
 *   <li><b>local</b>: {@code i − j < nLocal}, at the true distance {@code i − j};
 *   <li><b>global-far</b>: {@code j < nGlobal} and {@code i − j ≥ nLocal}, at the clamped distance
 *       {@code d' = min(distance, i)} — as the reference's stationary query rotated to
 *       {@code min(limit_distance, kv_len − 1)} against the raw key (kv_len − 1 = i when decoding);
 *   <li><b>top-k middle</b> (optional, {@link TopK}): for the pass's last query row only, in layers
 *       {@code fromLayer ≤ l < toLayer}, the k middle keys {@code j ∈ [nGlobal, i − nLocal]} that score
 *       highest at the fixed distance t, read at that distance;
 *   <li>otherwise masked.
 * </ul>
 * Every relative distance the model sees stays ≤ max(nLocal − 1, distance, t), so with those ≤ the trained
 * length the model runs past its {@code max_position_embeddings}; {@link #positionLimit} grows the RoPE
 * tables to {@code maxPositions} for that. When T ≤ nLocal every key is local and the pattern is exactly
 * the causal one (no stationary block is produced).
 *
 * <p>Positions count each row's real tokens (HF generate's convention): in a left-padded batch, a row's
 * first real token is position 0, so every row sees what it would see alone, and padding is never visible.
 * The decoder rotates with these positions when the caller gives none. Sink + window eviction keeps
 * slot arithmetic shared by all rows, so it needs unpadded rows (the cache rejects padding).
 *
 * @param nGlobal starting tokens always visible (paper: 10–100)
 * @param nLocal local window, query included (paper: the trained length L)
 * @param distance distance limit d for far starting tokens (reference: d = nLocal)
 * @param maxPositions RoPE positions to prepare (≥ the longest sequence to run)
 * @param evictMiddle whether decoding caches drop middle keys ({@link SinkWindow}(nGlobal, nLocal))
 * @param topK the optional top-k middle tokens, or null
 */
public record LambdaMask(int nGlobal, int nLocal, int distance, int maxPositions, boolean evictMiddle, TopK topK)
        implements MaskPolicy {

    /**
     * LM-Infinite's optional top-k middle tokens (reference defaults: k = 5 from layer 4, to layer 1000,
     * inserted at t = 2048 = L).
     *
     * @param k middle keys added per query head
     * @param fromLayer first layer that adds them
     * @param toLayer first layer that does not (exclusive, as the reference's {@code top_k_to_layer})
     * @param insertAt the fixed distance t they are read at
     */
    public record TopK(int k, int fromLayer, int toLayer, int insertAt) {
        public TopK {
            if (k < 0 || fromLayer < 0 || toLayer < fromLayer || insertAt < 0) {
                throw new IllegalArgumentException("top-k middle tokens need k ≥ 0, 0 ≤ fromLayer ≤ toLayer and"
                        + " insertAt ≥ 0, got k=" + k + ", layers " + fromLayer + ".." + toLayer + ", t=" + insertAt);
            }
        }
    }

    public LambdaMask {
        if (nGlobal < 0 || nLocal < 1 || distance < 0 || maxPositions < 1) {
            throw new IllegalArgumentException("invalid Λ-mask parameters: need nGlobal ≥ 0, nLocal ≥ 1,"
                    + " distance ≥ 0 and maxPositions ≥ 1, got " + nGlobal + ", " + nLocal + ", " + distance + ", "
                    + maxPositions);
        }
        if (topK != null && topK.k() == 0) {
            topK = null; // k = 0 adds nothing: plain Λ
        }
        if (evictMiddle && topK != null) {
            throw new IllegalArgumentException("top-k middle tokens score every middle key, so they need the full KV"
                    + " cache: use evictMiddle = false with topK");
        }
    }

    /** Without top-k middle tokens. */
    public LambdaMask(int nGlobal, int nLocal, int distance, int maxPositions, boolean evictMiddle) {
        this(nGlobal, nLocal, distance, maxPositions, evictMiddle, null);
    }

    /** The reference's {@code convert_llama_model(model, local, global)}: d = nLocal, full cache. */
    public static LambdaMask of(int nGlobal, int nLocal, int maxPositions) {
        return new LambdaMask(nGlobal, nLocal, nLocal, maxPositions, false);
    }

    public LambdaMask withEviction(boolean evict) {
        return new LambdaMask(nGlobal, nLocal, distance, maxPositions, evict, topK);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** DJL-style builder: {@code set*} required, {@code opt*} optional. */
    public static final class Builder {
        private int nGlobal = -1;
        private int nLocal = -1;
        private int distance = -1;
        private int maxPositions = -1;
        private boolean evict;
        private TopK topK;

        /** Starting tokens always visible (paper: 10–100). */
        public Builder setGlobal(int n) {
            this.nGlobal = n;
            return this;
        }

        /** Local window, query included (paper: the trained length L). */
        public Builder setLocal(int n) {
            this.nLocal = n;
            return this;
        }

        /** RoPE positions to prepare: at least the longest sequence to run. */
        public Builder setMaxPositions(int n) {
            this.maxPositions = n;
            return this;
        }

        /** Distance limit d for far starting tokens (default: nLocal, as the reference's converter). */
        public Builder optDistance(int d) {
            this.distance = d;
            return this;
        }

        /** Let decoding caches drop middle keys (sink + window; O(1) memory). Default: keep all. */
        public Builder optEviction(boolean evict) {
            this.evict = evict;
            return this;
        }

        /** Add the top-k middle tokens (see {@link TopK}); needs the full cache. */
        public Builder optTopK(int k, int fromLayer, int toLayer, int insertAt) {
            this.topK = new TopK(k, fromLayer, toLayer, insertAt);
            return this;
        }

        public LambdaMask build() {
            if (nGlobal < 0 || nLocal < 1 || maxPositions < 1) {
                throw new IllegalArgumentException("a Λ mask needs setGlobal(≥ 0), setLocal(≥ 1) and"
                        + " setMaxPositions(≥ 1)");
            }
            return new LambdaMask(nGlobal, nLocal, distance < 0 ? nLocal : distance, maxPositions, evict, topK);
        }
    }

    /** How query position i reads key position j (top-k middle keys aside: they depend on the scores). */
    public enum Visibility { LOCAL, GLOBAL_FAR, MASKED }

    public Visibility visibility(long i, long j) {
        if (j > i) {
            return Visibility.MASKED;
        }
        if (i - j < nLocal) {
            return Visibility.LOCAL;
        }
        return j < nGlobal ? Visibility.GLOBAL_FAR : Visibility.MASKED;
    }

    /** Whether key position j is a top-k candidate for query position i: {@code j ∈ [nGlobal, i − nLocal]}. */
    public boolean middle(long i, long j) {
        return j >= nGlobal && j <= i - nLocal;
    }

    /** The clamped distance d' at which query position i reads far starting keys. */
    public long farDistance(long i) {
        return Math.min(distance, i);
    }

    @Override
    public int positionLimit(int trainedPositions) {
        int limit = Math.max(trainedPositions, maxPositions);
        return topK == null ? limit : Math.max(limit, topK.insertAt() + 1);
    }

    @Override
    public SinkWindow cacheEviction() {
        return evictMiddle ? new SinkWindow(nGlobal, nLocal) : null;
    }

    @Override
    public NDArray additiveMask(NDManager manager, int queryLen, int pastLen, NDArray keyPadding) {
        return pattern(manager, queryLen, pastLen, 0, keyPadding).mask();
    }

    @Override
    public AttentionPattern pattern(NDManager manager, int queryLen, int pastLen, int evicted, NDArray keyPadding) {
        int keyLen = pastLen + queryLen;
        Slots slots = Slots.of(keyPadding, keyLen, evicted, nGlobal);
        if (evicted > 0 && pastLen < nGlobal) {
            throw new IllegalStateException("evicted keys but the sink is not full");
        }
        int b = slots.rows();
        // far keys sit in the leading slots: the first nGlobal real tokens of every row
        int far = 0;
        for (int r = 0; r < b; r++) {
            for (int s = 0; s < keyLen; s++) {
                if (slots.real(r, s) && slots.position(r, s) < nGlobal) {
                    far = Math.max(far, s + 1);
                }
            }
        }
        float[] near = new float[b * queryLen * keyLen];
        float[] farMask = new float[b * queryLen * Math.max(far, 1)];
        long[] dist = new long[b * queryLen];
        long[] queryPos = new long[b * queryLen];
        boolean anyFar = false;
        boolean anyBlocked = false;
        for (int r = 0; r < b; r++) {
            for (int t = 0; t < queryLen; t++) {
                int qs = pastLen + t;
                long i = slots.position(r, qs);
                int row = r * queryLen + t;
                queryPos[row] = i;
                dist[row] = farDistance(i);
                for (int s = 0; s < keyLen; s++) {
                    // slot order guards pad queries (position 0) from seeing later real tokens
                    Visibility v = slots.real(r, s) && s <= qs ? visibility(i, slots.position(r, s))
                            : Visibility.MASKED;
                    if (v != Visibility.LOCAL) {
                        near[row * keyLen + s] = BLOCKED;
                        anyBlocked = true;
                    }
                    if (s < far) {
                        if (v == Visibility.GLOBAL_FAR) {
                            anyFar = true;
                        } else {
                            farMask[row * far + s] = BLOCKED;
                        }
                    }
                }
            }
        }
        Shape rowsShape = new Shape(b, queryLen);
        NDArray nearMask = anyBlocked ? manager.create(near, new Shape(b, 1, queryLen, keyLen)) : null;
        NDArray positions = slots.padded() ? manager.create(queryPos, rowsShape) : null;
        StationaryKeys stationary = null;
        if (anyFar) {
            NDArray keyPositions = slots.padded() ? manager.create(slots.positions(far), new Shape(b, far)) : null;
            stationary = new StationaryKeys(far, manager.create(dist, rowsShape),
                    manager.create(farMask, new Shape(b, 1, queryLen, far)), keyPositions);
        }
        return new AttentionPattern(nearMask, stationary, middle(manager, slots, queryLen, pastLen, keyLen), positions);
    }

    /** The last query row's top-k candidates, or null when top-k is off or there are none. */
    private MiddleTopK middle(NDManager manager, Slots slots, int queryLen, int pastLen, int keyLen) {
        if (topK == null) {
            return null;
        }
        int b = slots.rows();
        int qs = pastLen + queryLen - 1;
        float[] cand = new float[b * keyLen];
        boolean any = false;
        for (int r = 0; r < b; r++) {
            long i = slots.position(r, qs);
            for (int s = 0; s < keyLen; s++) { // keyLen = qs + 1: every key is at or before the last query
                boolean c = slots.real(r, s) && middle(i, slots.position(r, s));
                cand[r * keyLen + s] = c ? 0f : BLOCKED;
                any |= c;
            }
        }
        if (!any) {
            return null;
        }
        NDArray keyPositions = slots.padded() ? manager.create(slots.positions(keyLen), new Shape(b, keyLen)) : null;
        return new MiddleTopK(topK.k(), topK.fromLayer(), topK.toLayer(), topK.insertAt(),
                manager.create(cand, new Shape(b, 1, 1, keyLen)), keyPositions);
    }

    /**
     * Slot → position per row. Unpadded: one shared row, slot s is position s, except that a sink-window cache
     * dropped {@code evicted} positions right after the sink. Padded: positions count the row's real tokens.
     */
    private record Slots(int rows, int keyLen, long[] pos, boolean[] real, int evicted, int sink) {

        static Slots of(NDArray keyPadding, int keyLen, int evicted, int sink) {
            long[] pad = keyPadding == null ? null
                    : keyPadding.toType(DataType.INT64, false).toLongArray();
            boolean padded = false;
            if (pad != null) {
                for (long p : pad) {
                    padded |= p == 0;
                }
            }
            if (!padded) {
                return new Slots(1, keyLen, null, null, evicted, sink);
            }
            if (evicted > 0) {
                throw new UnsupportedOperationException("a sink-window cache needs unpadded rows; use the full"
                        + " cache (evictMiddle = false) for padded batches");
            }
            int b = pad.length / keyLen;
            long[] pos = new long[pad.length];
            boolean[] real = new boolean[pad.length];
            for (int r = 0; r < b; r++) {
                long seen = 0;
                for (int s = 0; s < keyLen; s++) {
                    int k = r * keyLen + s;
                    real[k] = pad[k] != 0;
                    seen += real[k] ? 1 : 0;
                    pos[k] = Math.max(0, seen - 1); // HF generate: cumsum(mask) − 1, pads clamped to 0
                }
            }
            return new Slots(b, keyLen, pos, real, 0, sink);
        }

        boolean padded() {
            return pos != null;
        }

        long position(int row, int slot) {
            if (pos == null) {
                return slot < sink ? slot : (long) slot + evicted; // eviction only cut the middle
            }
            return pos[row * keyLen + slot];
        }

        boolean real(int row, int slot) {
            return real == null || real[row * keyLen + slot];
        }

        /** Positions of the first {@code n} slots of every row, {@code [rows × n]} (padded only). */
        long[] positions(int n) {
            long[] out = new long[rows * n];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(pos, r * keyLen, out, r * n, n);
            }
            return out;
        }
    }
}

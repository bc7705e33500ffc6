package dev.lethe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Keys and values of the positions already processed, per layer, shaped {@code [B, kvHeads, S, headDim]}
 * (keys after RoPE), plus the key padding mask and each row's next RoPE position.
 *
 * <p>The cache owns its arrays in its own manager, so a generation loop can run each step in a
 * throw-away sub-manager while the cache survives.
 *
 * <p>Keys, values, the padding and the slot masks each live in a {@link GrowingArray}: a preallocated buffer
 * whose capacity doubles when full, written in place, so a decoding step copies only its own token's
 * entries instead of the whole cache per layer. A pass reads views of the filled part owned by its own
 * manager ({@link #keys(NDManager, int)}), so nothing a pass derives from them stays behind in the cache;
 * the public {@link #keys(int)} and friends return views owned by the cache, valid until the cache
 * changes. Sink-window eviction moves the recent window next to the sink inside the same buffer (a copy of
 * the window per pass, as before); a compressed layer adopts its gathered selection as a new buffer, and
 * grows from there like any other.
 *
 * <p>A layer can be <b>compressed</b> once, after prefill ({@link #retain}): each (row, head) then keeps
 * its own subset of the prompt's keys. Heads keep different numbers, so the layer is stored padded to
 * the largest subset, {@code [B, H, S_c, hd]} with one key head per query head (grouped kv heads are
 * repeated first, as the SnapKV/UNComp reference does), and a slot mask blocks the filler slots. Keys
 * were cached after RoPE, so kept keys keep their true positions; later tokens are appended after the
 * selection and keep counting positions from {@link #length}.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final GrowingArray[] keys;    // [B, KV, S, hd] per layer ([B, H, S, hd] once compressed)
    private final GrowingArray[] values;
    private GrowingArray padding;         // [B, S] int64, 1 = real token; null until some pass is padded
    private NDArray nextPosition; // [B, 1] int64
    private int length;
    private int stored;
    private final SinkWindow eviction;
    private int observe;              // query positions kept per pass for a prefill-selecting policy
    private final NDArray[] queries;  // [B, H, ≤observe, hd] per layer, post-RoPE and pre-scaled by 1/√hd
    private final int[] prefixSlots;  // per layer: slots of the compressed prompt (0 = not compressed)
    private final GrowingArray[] slotMask; // per compressed layer [B, H, 1, W ≥ S_c]: BLOCKED on filler slots, or null
    private final int[][][][] kept;   // per compressed layer [B][H][]: the prompt columns kept
    private NDArray openColumn;       // [B, H, 1, 1] zeros: a decoded token's slot in a slot mask

    public KvCache(NDManager parent, int layers) {
        this(parent, layers, null);
    }

    /** A cache that, after every pass, drops middle keys beyond {@code eviction} (null: keep all). */
    public KvCache(NDManager parent, int layers, SinkWindow eviction) {
        this.manager = parent.newSubManager();
        this.keys = new GrowingArray[layers];
        this.values = new GrowingArray[layers];
        for (int l = 0; l < layers; l++) {
            keys[l] = new GrowingArray(manager, 2, "layer " + l + " keys");
            values[l] = new GrowingArray(manager, 2, "layer " + l + " values");
        }
        this.eviction = eviction;
        this.queries = new NDArray[layers];
        this.prefixSlots = new int[layers];
        this.slotMask = new GrowingArray[layers];
        this.kept = new int[layers][][][];
    }

    /** Positions processed so far (the next token's RoPE position when positions are contiguous). */
    public int length() {
        return length;
    }

    /**
     * Keys held per layer: {@link #length} minus what eviction dropped. A compressed layer holds its own
     * number of slots ({@link #keys}); it still counts here as holding every position, which is what the
     * decoder's causal mask over new tokens needs.
     */
    public int stored() {
        return stored;
    }

    /** Positions dropped by eviction; they were the ones right after the sink. */
    public int evicted() {
        return length - stored;
    }

    public int layers() {
        return keys.length;
    }

    /**
     * The layer's stored keys {@code [B, KV, stored, hd]} (null before the first pass): a view owned by the
     * cache, valid until the cache next changes. Arrays computed from it land in the cache's manager until
     * the cache closes; read it inside a sub-manager ({@code tempAttach}) when that matters.
     */
    public NDArray keys(int layer) {
        return keys[layer].view();
    }

    /** The layer's stored values, as {@link #keys(int)}. */
    public NDArray values(int layer) {
        return values[layer].view();
    }

    /** Keys the layer's buffers hold before they next grow (they double when full). */
    long capacity(int layer) {
        return keys[layer].capacity();
    }

    /** The stored keys as a view owned by {@code m} (a pass's manager), which also owns what is derived from it. */
    NDArray keys(NDManager m, int layer) {
        return keys[layer].view(m);
    }

    /** The stored values as a view owned by {@code m}. */
    NDArray values(NDManager m, int layer) {
        return values[layer].view(m);
    }

    /** Key padding {@code [B, length]} (a view owned by the cache, as {@link #keys(int)}), or null when no row was ever padded. */
    public NDArray padding() {
        return padding == null ? null : padding.view();
    }

    /**
     * The key padding a pass reads, {@code [B, stored + T]}: writes the new tokens' padding {@code [B, T]}
     * (1 = real token; the caller keeps the array) after the stored columns and returns a view owned by
     * {@code m}. The first padded pass also records the earlier tokens, all real. From here the padding
     * runs {@code T} columns ahead until {@link #advance} counts the pass.
     */
    NDArray keyPadding(NDManager m, NDArray newPadding) {
        NDArray mask = newPadding.toType(DataType.INT64, false);
        if (padding == null) {
            padding = new GrowingArray(manager, 1, "key padding");
            if (stored > 0) {
                padding.append(m.ones(new Shape(mask.getShape().get(0), stored), DataType.INT64));
            }
        }
        padding.append(mask);
        return padding.view(m);
    }

    /** Next RoPE position per row {@code [B, 1]}, or null when positions are contiguous from 0. */
    public NDArray nextPosition() {
        return nextPosition;
    }

    NDManager manager() {
        return manager;
    }

    /**
     * From the next pass on, keep the query states of each pass's last {@code n} positions per layer
     * (SnapKV's observation window; a calibration passes the prompt length); 0 stops and frees them.
     */
    public void observeQueries(int n) {
        observe = n;
        if (n == 0) {
            for (int l = 0; l < queries.length; l++) {
                if (queries[l] != null) {
                    queries[l].close();
                    queries[l] = null;
                }
            }
        }
    }

    /**
     * The observed query states of the last pass, {@code [B, H, min(n, T), hd]}, after RoPE and pre-scaled
     * by 1/√hd (so {@code q·kᵀ} is the attention logit); null when not observed.
     */
    public NDArray queries(int layer) {
        return queries[layer];
    }

    /** Keeps the last observed query positions of a pass ({@code qs [B, H, T, hd]}); no-op unless asked for. */
    void observe(int layer, NDArray qs) {
        if (observe == 0) {
            return;
        }
        long t = qs.getShape().get(2);
        NDArray last = qs.get(":, :, {}:, :", Math.max(0, t - observe)).duplicate();
        last.attach(manager);
        if (queries[layer] != null) {
            queries[layer].close();
        }
        queries[layer] = last;
    }

    /**
     * Compresses a layer: row b, query head h keeps the prompt columns {@code keep[b][h]} (ascending,
     * distinct, at least one), everything else of the layer's keys and values is dropped. Call once per
     * layer, before any token is appended after the prompt.
     */
    public void retain(int layer, int[][][] keep) {
        if (eviction != null) {
            throw new IllegalStateException("a sink-window cache cannot also be compressed");
        }
        if (prefixSlots[layer] != 0) {
            throw new IllegalStateException("layer " + layer + " is already compressed");
        }
        Shape s = keys[layer].shape();
        int b = (int) s.get(0);
        long kv = s.get(1);
        int n = (int) s.get(2);
        long hd = s.get(3);
        if (keep.length != b || keep[0].length % kv != 0) {
            throw new IllegalArgumentException("expected kept columns for " + b + " rows and a multiple of " + kv
                    + " heads, got " + keep.length + " rows and " + (keep.length == 0 ? 0 : keep[0].length) + " heads");
        }
        int heads = keep[0].length;
        int slots = 0;
        for (int[][] row : keep) {
            if (row.length != heads) {
                throw new IllegalArgumentException("every row needs " + heads + " heads of kept columns");
            }
            for (int[] cols : row) {
                if (cols.length == 0) {
                    throw new IllegalArgumentException("every head must keep at least one key");
                }
                for (int i = 0; i < cols.length; i++) {
                    if (cols[i] < 0 || cols[i] >= n || (i > 0 && cols[i] <= cols[i - 1])) {
                        throw new IllegalArgumentException("kept columns must be ascending and in [0, " + n + ")");
                    }
                }
                slots = Math.max(slots, cols.length);
            }
        }
        long[] index = new long[b * heads * slots];
        float[] mask = new float[b * heads * slots];
        boolean filler = false;
        for (int r = 0; r < b; r++) {
            for (int h = 0; h < heads; h++) {
                int[] cols = keep[r][h];
                int off = (r * heads + h) * slots;
                for (int i = 0; i < slots; i++) {
                    // a filler slot repeats a kept key; the slot mask gives it zero weight
                    index[off + i] = cols[Math.min(i, cols.length - 1)];
                    if (i >= cols.length) {
                        mask[off + i] = MaskPolicy.BLOCKED;
                        filler = true;
                    }
                }
            }
        }
        try (NDManager tmp = manager.newSubManager()) {
            NDArray idx = tmp.create(index, new Shape(b, heads, slots, 1)).repeat(3, hd);
            keys[layer].adopt(repeatHeads(keys[layer].view(tmp), heads).gather(idx, 2));
            values[layer].adopt(repeatHeads(values[layer].view(tmp), heads).gather(idx, 2));
        }
        if (filler) {
            slotMask[layer] = new GrowingArray(manager, 3, "layer " + layer + " slot mask");
            slotMask[layer].adopt(manager.create(mask, new Shape(b, heads, 1, slots)));
        }
        prefixSlots[layer] = slots;
        kept[layer] = new int[b][heads][];
        for (int r = 0; r < b; r++) {
            for (int h = 0; h < heads; h++) {
                kept[layer][r][h] = keep[r][h].clone();
            }
        }
    }

    /** Per row and query head, the prompt columns a compressed layer kept; null for an uncompressed layer. */
    public int[][][] kept(int layer) {
        return kept[layer];
    }

    /** HF's {@code repeat_kv}: {@code [B, KV, S, hd] → [B, H, S, hd]}, query head h reading kv head h / (H/KV). */
    private static NDArray repeatHeads(NDArray a, long heads) {
        Shape s = a.getShape();
        if (s.get(1) == heads) {
            return a;
        }
        long g = heads / s.get(1);
        return a.expandDims(2).broadcast(s.get(0), s.get(1), g, s.get(2), s.get(3))
                .reshape(s.get(0), heads, s.get(2), s.get(3));
    }

    /**
     * The additive mask layer {@code layer} reads in a pass that appends {@code newTokens} tokens: the
     * decoder's {@code passMask} (over every position, {@link #stored} + newTokens columns) for an
     * uncompressed layer. A compressed layer reads its slot mask over the slots it knows, then
     * {@code passMask}'s columns of the later tokens. The common decoding step (one token, no padding, so
     * no pass mask) extends the slot mask by its open column, written in place, and reads it whole. Call
     * once per pass, before the layer appends; the returned mask is a view owned by {@code m}.
     */
    NDArray attentionMask(NDManager m, int layer, NDArray passMask, int newTokens) {
        if (prefixSlots[layer] == 0) {
            return passMask;
        }
        GrowingArray known = slotMask[layer]; // [B, H, 1, W] over the first W stored slots; null: none blocked
        Shape s = keys[layer].shape();
        long b = s.get(0);
        long h = s.get(1);
        if (passMask == null) { // one new token, which sees every stored key but the filler slots
            if (known == null) {
                return null;
            }
            // Open columns for the new token and for any unpadded tokens that earlier multi-token passes
            // appended past W (those read the pass mask then; with no padding anywhere, all are visible).
            long open = s.get(2) + newTokens - known.length();
            if (open == 1) {
                if (openColumn == null) {
                    openColumn = manager.zeros(new Shape(b, h, 1, 1));
                }
                known.append(openColumn);
            } else {
                known.append(m.zeros(new Shape(b, h, 1, open)));
            }
            return known.view(m);
        }
        long width = known == null ? prefixSlots[layer] : known.length();
        long after = s.get(2) - width + newTokens; // later tokens, at their true positions
        NDArray head = known != null ? known.view(m).broadcast(b, h, newTokens, width)
                : m.zeros(new Shape(b, h, newTokens, width));
        NDArray rest = passMask.get(":, :, :, {}:", passMask.getShape().get(3) - after);
        return head.concat(rest.broadcast(b, h, newTokens, after), 3);
    }

    /** Writes a layer's new keys/values {@code [B, KV, T, hd]} after the stored ones; the caller keeps them. */
    void append(int layer, NDArray k, NDArray v) {
        if (prefixSlots[layer] != 0) { // a compressed layer holds one key head per query head
            long heads = keys[layer].shape().get(1);
            k = repeatHeads(k, heads);
            v = repeatHeads(v, heads);
        }
        keys[layer].append(k);
        values[layer].append(v);
    }

    /**
     * Counts {@code newTokens} tokens just appended to every layer, and records the rows' next positions;
     * eviction's temporaries go to {@code m}, the pass's manager.
     */
    void advance(NDManager m, int newTokens, NDArray newNextPosition) {
        if (padding != null && padding.length() != stored + newTokens) {
            throw new IllegalStateException("the key padding holds " + padding.length() + " columns, expected "
                    + (stored + newTokens) + ": a padded cache needs every pass to go through keyPadding");
        }
        if (newNextPosition != null) {
            NDArray p = newNextPosition.duplicate();
            p.attach(manager);
            if (nextPosition != null) {
                nextPosition.close();
            }
            nextPosition = p;
        }
        length += newTokens;
        stored += newTokens;
        if (eviction != null && stored > eviction.capacity()) {
            evictMiddle(m);
        }
    }

    private void evictMiddle(NDManager m) {
        if (padding != null || nextPosition != null) {
            // eviction keeps slot → position arithmetic simple; padded rows would need it per row
            throw new UnsupportedOperationException("a sink-window cache needs unpadded, contiguous rows");
        }
        int sink = eviction.sink();
        int recent = eviction.window() - 1;
        for (int l = 0; l < keys.length; l++) {
            keys[l].keepEnds(m, sink, recent);
            values[l].keepEnds(m, sink, recent);
        }
        stored = sink + recent;
    }

    @Override
    public void close() {
        manager.close();
    }
}

package dev.lethe.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;

/**
 * Keys and values of the positions already processed, per layer, shaped {@code [B, kvHeads, S, headDim]}
 * (keys after RoPE), plus the key padding mask and each row's next RoPE position.
 *
 * <p>The cache owns its arrays in its own manager, so a generation loop can run each step in a
 * throw-away sub-manager while the cache survives.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private NDArray padding;   // [B, S] int64, 1 = real token
    private NDArray nextPosition; // [B, 1] int64
    private int length;
    private int stored;
    private final SinkWindow eviction;

    public KvCache(NDManager parent, int layers) {
        this(parent, layers, null);
    }

    /** A cache that, after every pass, drops middle keys beyond {@code eviction} (null: keep all). */
    public KvCache(NDManager parent, int layers, SinkWindow eviction) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        this.eviction = eviction;
    }

    /** Positions processed so far (the next token's RoPE position when positions are contiguous). */
    public int length() {
        return length;
    }

    /** Keys held per layer: {@link #length} minus what eviction dropped. */
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

    public NDArray keys(int layer) {
        return keys[layer];
    }

    public NDArray values(int layer) {
        return values[layer];
    }

    /** Key padding {@code [B, length]}, or null when no row was ever padded. */
    public NDArray padding() {
        return padding;
    }

    /** Next RoPE position per row {@code [B, 1]}, or null when positions are contiguous from 0. */
    public NDArray nextPosition() {
        return nextPosition;
    }

    NDManager manager() {
        return manager;
    }

    /** Appends a layer's new keys/values along the sequence axis; the cache takes ownership of the result. */
    void append(int layer, NDArray k, NDArray v) {
        keys[layer] = concatOwned(keys[layer], k);
        values[layer] = concatOwned(values[layer], v);
    }

    private NDArray concatOwned(NDArray old, NDArray add) {
        NDArray out = old == null ? add.duplicate() : old.concat(add, 2);
        out.attach(manager);
        if (old != null) {
            old.close();
        }
        return out;
    }

    /** Records the padding and positions of {@code newTokens} tokens just appended to every layer. */
    void advance(int newTokens, NDArray newPadding, NDArray newNextPosition) {
        if (newPadding != null) {
            // never take ownership of the caller's array: copy (concat or duplicate) into the cache
            NDArray mask = newPadding.toType(DataType.INT64, false);
            NDArray full = padding != null ? padding.concat(mask, 1) : mask.duplicate();
            full.attach(manager);
            if (padding != null) {
                padding.close();
            }
            padding = full;
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
            evictMiddle();
        }
    }

    private void evictMiddle() {
        if (padding != null || nextPosition != null) {
            // eviction keeps slot → position arithmetic simple; padded rows would need it per row
            throw new UnsupportedOperationException("a sink-window cache needs unpadded, contiguous rows");
        }
        int sink = eviction.sink();
        int recent = eviction.window() - 1;
        for (int l = 0; l < keys.length; l++) {
            keys[l] = keepEnds(keys[l], sink, recent);
            values[l] = keepEnds(values[l], sink, recent);
        }
        stored = sink + recent;
    }

    private NDArray keepEnds(NDArray a, int sink, int recent) {
        if (a == null) {
            return null;
        }
        NDArray head = a.get(":, :, :{}, :", sink);
        NDArray tail = a.get(":, :, {}:, :", stored - recent);
        NDArray out = head.concat(tail, 2);
        out.attach(manager);
        head.close();
        tail.close();
        a.close();
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}

package dev.lethe.core.longctx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.lethe.core.model.AttentionPattern;
import dev.lethe.core.model.MaskPolicy;
import dev.lethe.core.model.SinkWindow;
import dev.lethe.core.model.StationaryKeys;

/**
 * LM-Infinite's Λ-shaped attention (Han et al., arXiv 2308.16137). Query i sees key j ≤ i when
 * <ul>
 *   <li><b>local</b>: {@code i − j < nLocal}, at the true distance {@code i − j};
 *   <li><b>global-far</b>: {@code j < nGlobal} and {@code i − j ≥ nLocal}, at the clamped distance
 *       {@code d' = min(distance, i)} — as the reference's stationary query rotated to
 *       {@code min(limit_distance, kv_len − 1)} against the raw key (kv_len − 1 = i when decoding);
 *   <li>otherwise masked.
 * </ul>
 * Every relative distance the model sees stays ≤ max(nLocal − 1, distance), so with distance ≤ the
 * trained length the model runs past its {@code max_position_embeddings}; {@link #positionLimit} grows
 * the RoPE tables to {@code maxPositions} for that. When T ≤ nLocal every key is local and the pattern is
 * exactly the causal one (no stationary block is produced).
 *
 * <p>Positions are key slots, so rows must be unpadded or right-padded: a left-padded row would give
 * its global slots to pads (rejected). Not implemented: the optional top-k middle tokens.
 *
 * @param nGlobal starting tokens always visible (paper: 10–100)
 * @param nLocal local window, query included (paper: the trained length L)
 * @param distance distance limit d for far starting tokens (reference: d = nLocal)
 * @param maxPositions RoPE positions to prepare (≥ the longest sequence to run)
 * @param evictMiddle whether decoding caches drop middle keys ({@link SinkWindow}(nGlobal, nLocal))
 */
public record LambdaMask(int nGlobal, int nLocal, int distance, int maxPositions, boolean evictMiddle)
        implements MaskPolicy {

    public LambdaMask {
        if (nGlobal < 0 || nLocal < 1 || distance < 0 || maxPositions < 1) {
            throw new IllegalArgumentException("invalid Λ-mask parameters");
        }
    }

    /** The reference's {@code convert_llama_model(model, local, global)}: d = nLocal, full cache. */
    public static LambdaMask of(int nGlobal, int nLocal, int maxPositions) {
        return new LambdaMask(nGlobal, nLocal, nLocal, maxPositions, false);
    }

    public LambdaMask withEviction(boolean evict) {
        return new LambdaMask(nGlobal, nLocal, distance, maxPositions, evict);
    }

    /** How query position i reads key position j. */
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

    /** The clamped distance d' at which query position i reads far starting keys. */
    public long farDistance(long i) {
        return Math.min(distance, i);
    }

    @Override
    public int positionLimit(int trainedPositions) {
        return Math.max(trainedPositions, maxPositions);
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
        if (keyPadding != null && keyPadding.get(":, 0").min().getLong() == 0) {
            throw new UnsupportedOperationException("the Λ mask counts slots: left-padded rows are not supported");
        }
        int keyLen = pastLen + queryLen;
        int far = Math.min(nGlobal, keyLen);
        if (evicted > 0 && pastLen < nGlobal) {
            throw new IllegalStateException("evicted keys but the sink is not full");
        }
        float[] near = new float[queryLen * keyLen];
        float[] farMask = new float[queryLen * Math.max(far, 1)];
        long[] dist = new long[queryLen];
        boolean anyFar = false;
        boolean anyBlocked = false;
        for (int r = 0; r < queryLen; r++) {
            long i = (long) pastLen + evicted + r;
            dist[r] = farDistance(i);
            for (int s = 0; s < keyLen; s++) {
                long j = s < nGlobal ? s : (long) s + evicted; // slot → position: eviction only cut the middle
                Visibility v = visibility(i, j);
                if (v != Visibility.LOCAL) {
                    near[r * keyLen + s] = BLOCKED;
                    anyBlocked = true;
                }
                if (s < far) {
                    if (v == Visibility.GLOBAL_FAR) {
                        anyFar = true;
                    } else {
                        farMask[r * far + s] = BLOCKED;
                    }
                }
            }
        }
        NDArray pad = null;
        if (keyPadding != null) {
            long b = keyPadding.getShape().get(0);
            pad = keyPadding.toType(DataType.FLOAT32, false).sub(1f).mul(-BLOCKED).reshape(b, 1, 1, keyLen);
            pad.attach(manager);
        }
        NDArray nearMask = null;
        if (anyBlocked || pad != null) {
            nearMask = manager.create(near, new Shape(1, 1, queryLen, keyLen));
            if (pad != null) {
                nearMask = nearMask.add(pad);
            }
        }
        if (!anyFar) {
            return new AttentionPattern(nearMask, null);
        }
        NDArray fm = manager.create(farMask, new Shape(1, 1, queryLen, far));
        if (pad != null) {
            fm = fm.add(pad.get(":, :, :, :{}", far));
        }
        return new AttentionPattern(nearMask, new StationaryKeys(far, dist, fm));
    }
}

package dev.lethe.eco;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;
import java.util.Random;

/**
 * One configured corruption function: its type, the number of dimensions n / k it touches, the strength σ
 * (ignored by zero-out and flip-sign) and a seed (eco.md §5).
 *
 * <p>The arithmetic runs in Java on the prefill embeddings, which carry no gradient: it is exact and
 * identical on every engine, top-k ties go to the lower dimension index, and the random draws come from
 * {@link Random} seeded per prompt, so a prompt is corrupted the same way whatever batch it is in and on
 * every call. This is where Lethe departs from the reference on purpose: there {@code rand_noise_rand_n}
 * re-draws its dimensions and all noise on every call from torch's global RNG; here the draw is a
 * deterministic function of (seed, prompt). Lethe implements the additive {@code rand_noise_first_n}, not
 * {@code set_rand_noise_first_n}, which overwrites the first n dimensions of every token (pitfall 6).
 *
 * @param type the function
 * @param dims n or k; clamped to the hidden size d (so k = d means "all dimensions")
 * @param strength σ: the noise standard deviation, or the added/subtracted value
 * @param seed base seed of the random functions
 */
public record Corruption(CorruptionType type, int dims, double strength, long seed) {

    public Corruption {
        if (type == null) {
            throw new IllegalArgumentException("corruption type is required");
        }
        if (dims < 0) {
            throw new IllegalArgumentException("dims must be >= 0, got " + dims);
        }
        if (type.usesStrength() && (!(strength >= 0) || Double.isInfinite(strength))) {
            throw new IllegalArgumentException("strength must be finite and >= 0, got " + strength);
        }
    }

    public static Corruption of(CorruptionType type, int dims, double strength) {
        return new Corruption(type, dims, strength, 0);
    }

    /** The parameter the zeroth-order tuner moves: σ for functions that have one, otherwise k / n. */
    public double tunedParameter() {
        return type.usesStrength() ? strength : dims;
    }

    /** A copy with the tuned parameter set to {@code value} (rounded to an integer k / n when that is the parameter). */
    public Corruption withTunedParameter(double value) {
        return type.usesStrength() ? new Corruption(type, dims, value, seed)
                : new Corruption(type, (int) Math.max(0, Math.round(value)), strength, seed);
    }

    /**
     * Corrupts the selected tokens of one sequence in place.
     *
     * @param emb the sequence's embeddings, {@code [T, d]} row-major
     * @param hidden d
     * @param selected per position, whether to corrupt it ({@code T} entries)
     * @param rowSeed identifies the prompt (mixed with {@link #seed}); equal seeds give equal draws
     */
    public void applyRow(float[] emb, int hidden, boolean[] selected, long rowSeed) {
        if (selected.length * hidden != emb.length) {
            throw new IllegalArgumentException("embeddings hold " + emb.length + " floats, expected "
                    + selected.length + " × " + hidden);
        }
        int k = Math.min(dims, hidden);
        Random rng = new Random(mix(seed, rowSeed));
        int[] shared = type.dims() == CorruptionType.Dims.RANDOM ? randomDims(rng, hidden, k) : null;
        int[] chosen = new int[k];
        long[] keys = new long[hidden];
        for (int t = 0; t < selected.length; t++) {
            if (!selected[t] || k == 0) {
                continue;
            }
            int off = t * hidden;
            switch (type.dims()) {
                case FIRST -> {
                    for (int i = 0; i < k; i++) {
                        chosen[i] = i;
                    }
                }
                case RANDOM -> System.arraycopy(shared, 0, chosen, 0, k);
                case TOP_ABS, TOP_SIGNED, LEAST_SIGNED -> rank(emb, off, hidden, k, keys, chosen);
                default -> throw new IllegalStateException(type.toString());
            }
            for (int i = 0; i < k; i++) {
                int j = off + chosen[i];
                emb[j] = switch (type) {
                    case RAND_NOISE_FIRST_N, RAND_NOISE_RAND_N, RAND_NOISE_TOP_K ->
                            (float) (emb[j] + strength * rng.nextGaussian());
                    case ZERO_OUT_FIRST_N, ZERO_OUT_TOP_K -> 0f;
                    case FLIP_SIGN_FIRST_N, FLIP_SIGN_TOP_K -> -emb[j];
                    case SUB_VALUE_TOP_K, SUB_VALUE_FIRST_N -> (float) (emb[j] - strength);
                    case ADD_VALUE_LEAST_K, ADD_VALUE_FIRST_N -> (float) (emb[j] + strength);
                };
            }
        }
    }

    /**
     * Corrupts a batch {@code [B, T, d]}: row b's positions where {@code selected[b][t]}; returns a new FLOAT32 array in
     * {@code emb}'s manager, or {@code emb} itself when nothing is selected.
     */
    public NDArray apply(NDArray emb, boolean[][] selected, long[] rowSeeds) {
        Shape s = emb.getShape();
        int b = (int) s.get(0);
        int t = (int) s.get(1);
        int d = (int) s.get(2);
        boolean any = false;
        for (boolean[] row : selected) {
            for (boolean v : row) {
                any |= v;
            }
        }
        if (!any) {
            return emb;
        }
        float[] all = emb.toType(DataType.FLOAT32, false).toFloatArray();
        float[] row = new float[t * d];
        for (int i = 0; i < b; i++) {
            System.arraycopy(all, i * t * d, row, 0, t * d);
            applyRow(row, d, selected[i], rowSeeds[i]);
            System.arraycopy(row, 0, all, i * t * d, t * d);
        }
        return emb.getManager().create(all, s);
    }

    /** The k dimensions ranked first by the type's key; ties go to the lower index. */
    private void rank(float[] emb, int off, int hidden, int k, long[] keys, int[] out) {
        boolean least = type.dims() == CorruptionType.Dims.LEAST_SIGNED;
        for (int i = 0; i < hidden; i++) {
            float v = emb[off + i];
            int key = type.dims() == CorruptionType.Dims.TOP_ABS ? sortable(Math.abs(v)) : sortable(v);
            // Ascending sort; the low word breaks ties toward the lower index at the end we read from.
            keys[i] = ((long) key << 32) | (least ? i : (hidden - 1 - i));
        }
        Arrays.sort(keys);
        for (int i = 0; i < k; i++) {
            long kv = least ? keys[i] : keys[hidden - 1 - i];
            int low = (int) (kv & 0xffffffffL);
            out[i] = least ? low : hidden - 1 - low;
        }
    }

    /** An int whose signed order is the float order (NaN ranks above +∞). */
    private static int sortable(float v) {
        int bits = Float.floatToIntBits(v);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    private static int[] randomDims(Random rng, int hidden, int k) {
        int[] perm = new int[hidden];
        for (int i = 0; i < hidden; i++) {
            perm[i] = i;
        }
        for (int i = 0; i < k; i++) { // partial Fisher–Yates: the first k entries are a uniform k-subset
            int j = i + rng.nextInt(hidden - i);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        return Arrays.copyOf(perm, k);
    }

    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

package dev.lethe.eco;

import java.util.Arrays;
import java.util.Locale;

/**
 * The corruption functions of ECO (eco.md §5; reference {@code eco/attack/corrupt.py}), by their reference names.
 *
 * <p>Each acts on the input embedding {@code e ∈ R^d} of every selected token. "first n" means dimensions
 * {@code 0..n−1}; "top k" the k dimensions of largest {@code |e|}, except for the two value variants, which the
 * reference ranks by the signed value ({@code topk(e)} and {@code topk(e, largest=False)}), and so does Lethe.
 */
public enum CorruptionType {
    /** Add N(0, σ²) to dimensions 0..n−1. */
    RAND_NOISE_FIRST_N(true, Dims.FIRST),
    /** Add N(0, σ²) to n dimensions drawn at random once per prompt, shared by its tokens. */
    RAND_NOISE_RAND_N(true, Dims.RANDOM),
    /** Add N(0, σ²) to the k dimensions of largest |e|. */
    RAND_NOISE_TOP_K(true, Dims.TOP_ABS),
    /** Set dimensions 0..n−1 to 0. */
    ZERO_OUT_FIRST_N(false, Dims.FIRST),
    /** Set the k dimensions of largest |e| to 0. */
    ZERO_OUT_TOP_K(false, Dims.TOP_ABS),
    /** Negate dimensions 0..n−1. */
    FLIP_SIGN_FIRST_N(false, Dims.FIRST),
    /** Negate the k dimensions of largest |e| (k = d negates the whole vector). */
    FLIP_SIGN_TOP_K(false, Dims.TOP_ABS),
    /** Subtract σ from the k largest (signed) dimensions. */
    SUB_VALUE_TOP_K(true, Dims.TOP_SIGNED),
    /** Add σ to the k smallest (signed) dimensions. */
    ADD_VALUE_LEAST_K(true, Dims.LEAST_SIGNED),
    /** Subtract σ from dimensions 0..n−1. */
    SUB_VALUE_FIRST_N(true, Dims.FIRST),
    /** Add σ to dimensions 0..n−1. */
    ADD_VALUE_FIRST_N(true, Dims.FIRST);

    /** How a function picks the dimensions it changes. */
    enum Dims { FIRST, RANDOM, TOP_ABS, TOP_SIGNED, LEAST_SIGNED }

    private final boolean usesStrength;
    private final Dims dims;

    CorruptionType(boolean usesStrength, Dims dims) {
        this.usesStrength = usesStrength;
        this.dims = dims;
    }

    /** Whether the function has a strength σ (noise scale or added value); the others have only n / k. */
    public boolean usesStrength() {
        return usesStrength;
    }

    Dims dims() {
        return dims;
    }

    /** The reference name, e.g. {@code zero_out_top_k}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a reference name (case-insensitive); unknown names list the known ones. */
    public static CorruptionType parse(String id) {
        for (CorruptionType t : values()) {
            if (t.id().equalsIgnoreCase(id.trim())) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown corruption '" + id + "'; known: "
                + Arrays.stream(values()).map(CorruptionType::id).toList());
    }
}

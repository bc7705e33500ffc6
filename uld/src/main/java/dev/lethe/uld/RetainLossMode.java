package dev.lethe.uld;

/**
 * Which positions of the retain sequences the flat (uniform) loss averages over.
 *
 * <p>The reference code averages over every position, prompt and padding included (uld.md §4, pitfall 4); that
 * quirk shapes the training dynamics, so it is the default, and the "clean" variant is an option.
 */
public enum RetainLossMode {
    /** All {@code B_r × T} positions of the padded retain batch, as the reference code. */
    FAITHFUL,
    /** Only positions that predict a labelled (answer) token. */
    MASKED;

    /** Lower-case name used in {@code uld.json}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static RetainLossMode of(String id) {
        return valueOf(id.toUpperCase(java.util.Locale.ROOT));
    }
}

package dev.lethe.scripts;

import dev.lethe.datasets.tofu.TofuSplits;

/** The {@code --split} option every command shares: one of TOFU's forget splits. */
public final class SplitOption {
    private SplitOption() {}

    /** The percentage of {@code split} (forget01 → 1); anything else fails naming the option and the valid splits. */
    public static int forgetPercent(String split) {
        try {
            return TofuSplits.forgetPercent(split);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--split must be forget01, forget05 or forget10, got '" + split + "'");
        }
    }
}

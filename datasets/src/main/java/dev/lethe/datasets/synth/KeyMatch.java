package dev.lethe.datasets.synth;

import java.util.Locale;

/**
 * Whether a text states a key, blind to case, punctuation and spacing: the one comparison behind the
 * relearning material's hint filter and the attack's leakage checker, so both drop the same hints.
 * Words are matched whole (the normal form is padded with spaces), so "Rome" is not found in "Romeo".
 */
public final class KeyMatch {

    private KeyMatch() {}

    /** Lower case, every run of non-letters/digits one space, padded with a space at each end. */
    public static String normalise(String s) {
        return " " + s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").trim() + " ";
    }

    /** Whether {@code text} states {@code key}. */
    public static boolean contains(String text, String key) {
        return containsNormalised(normalise(text), normalise(key));
    }

    /** {@link #contains} on texts already passed through {@link #normalise} (to normalise a pool once). */
    public static boolean containsNormalised(String normalisedText, String normalisedKey) {
        return normalisedText.contains(normalisedKey);
    }
}

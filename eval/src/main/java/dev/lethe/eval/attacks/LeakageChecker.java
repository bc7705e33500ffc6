package dev.lethe.eval.attacks;

import java.util.Locale;

/**
 * Rejects hints that contain the answer string: an "axioms only" hint that states the answer would turn
 * an inference test into a copying test. Comparison ignores case, punctuation and spacing.
 */
public final class LeakageChecker {

    private LeakageChecker() {}

    public static boolean leaks(String hint, String answer) {
        String a = normalise(answer);
        return !a.isEmpty() && normalise(hint).contains(a);
    }

    /** Throws when {@code hint} leaks {@code answer}. */
    public static String requireNoLeak(String hint, String answer, String itemId) {
        if (leaks(hint, answer)) {
            throw new IllegalArgumentException("hint of item " + itemId + " leaks its answer");
        }
        return hint;
    }

    static String normalise(String s) {
        return " " + s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").trim() + " ";
    }
}

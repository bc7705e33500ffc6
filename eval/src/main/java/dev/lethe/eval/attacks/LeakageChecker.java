package dev.lethe.eval.attacks;

import dev.lethe.datasets.synth.KeyMatch;

/**
 * Rejects hints that contain the answer string: an "axioms only" hint that states the answer would turn
 * an inference test into a copying test. Comparison ignores case, punctuation and spacing
 * ({@link KeyMatch}, the same test the relearning material was filtered with).
 */
public final class LeakageChecker {

    private LeakageChecker() {}

    public static boolean leaks(String hint, String answer) {
        return leaksNormalised(normalise(hint), normalise(answer));
    }

    /** Throws when {@code hint} leaks {@code answer}. */
    public static String requireNoLeak(String hint, String answer, String itemId) {
        if (leaks(hint, answer)) {
            throw new IllegalArgumentException("hint of item " + itemId + " leaks its answer");
        }
        return hint;
    }

    /** {@link #leaks} on texts already {@link #normalise normalised} (a demo pool is normalised once). */
    static boolean leaksNormalised(String hint, String answer) {
        return !answer.isEmpty() && KeyMatch.containsNormalised(hint, answer);
    }

    static String normalise(String s) {
        return KeyMatch.normalise(s);
    }
}

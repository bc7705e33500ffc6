package dev.lethe.eval.attacks;

import dev.lethe.eval.metrics.Rouge;

/** Per-item forget accuracy of one generation, in [0, 1]. */
@FunctionalInterface
public interface Correctness {

    double score(String answer, String generation);

    /** The answer appears in the generation (case, punctuation and spacing ignored). */
    Correctness CONTAINS = (a, g) -> LeakageChecker.leaks(g, a) ? 1 : 0;

    /** The generation is the answer (same normalisation). */
    Correctness EXACT = (a, g) -> LeakageChecker.normalise(a).equals(LeakageChecker.normalise(g)) ? 1 : 0;

    /** ROUGE-L recall of the answer, as TOFU scores generations. */
    static Correctness rougeLRecall(Rouge rouge) {
        return rouge::rougeLRecall;
    }

    /** By name: {@code contains}, {@code exact} or {@code rouge} (ROUGE-L recall). */
    static Correctness named(String name) {
        return switch (name) {
            case "contains" -> CONTAINS;
            case "exact" -> EXACT;
            case "rouge" -> rougeLRecall(new Rouge());
            default -> throw new IllegalArgumentException("unknown correctness '" + name
                    + "' (expected contains, exact or rouge)");
        };
    }
}

package dev.lethe.datasets.synth;

/**
 * Size and seed of a synthetic world. {@code authors} is the number in {@code full} (20 QA each); holdout
 * authors are extra (as many as forget10). {@code realAuthors} and {@code worldFacts} size the multiple-choice
 * analogues (TOFU: 100 and 117).
 */
public record WorldSpec(int authors, long seed, int realAuthors, int worldFacts) {

    public static final int QA_PER_AUTHOR = 20;
    public static final int DEFAULT_AUTHORS = 200;
    public static final long DEFAULT_SEED = 42;

    public WorldSpec {
        if (authors < 3) {
            throw new IllegalArgumentException("authors must be >= 3, got " + authors);
        }
        if (realAuthors < 4 || realAuthors > 400) {
            throw new IllegalArgumentException("realAuthors must be in [4, 400], got " + realAuthors);
        }
        if (worldFacts < 4 || worldFacts > 120) {
            throw new IllegalArgumentException("worldFacts must be in [4, 120], got " + worldFacts);
        }
    }

    /** 200 authors, seed 42, 100 real-author and 117 world-fact items — TOFU's shape. */
    public static WorldSpec defaults() {
        return new WorldSpec(DEFAULT_AUTHORS, DEFAULT_SEED, 100, 117);
    }

    public static WorldSpec of(int authors, long seed) {
        return new WorldSpec(authors, seed, 100, 117);
    }

    /** Authors in forgetXX (and holdoutXX): round(percent·authors/100), at least 1. */
    public int forgetAuthors(int percent) {
        return Math.max(1, (int) Math.round(authors * percent / 100.0));
    }

    /** Extra holdout authors: as many as forget10. */
    public int holdoutAuthors() {
        return forgetAuthors(10);
    }

    /** retain_perturbed authors: the first ones, at most 400 items, never overlapping forget10. */
    public int retainPerturbedAuthors() {
        return Math.min(400 / QA_PER_AUTHOR, authors - forgetAuthors(10));
    }
}

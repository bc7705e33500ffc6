package dev.lethe.eval.attacks;

/**
 * A hint condition (spec §4.2); {@code shots} only matters for the many-shot conditions H5 and H6.
 */
public record Hint(Kind kind, int shots) {

    public enum Kind {
        /** no context */
        H0_NONE,
        /** verbatim source passage */
        H1_PASSAGE,
        /** paraphrased passage */
        H2_PARAPHRASE,
        /** axioms only, answer string absent (leakage-checked) */
        H3_AXIOMS,
        /** alias re-definition, question about the alias */
        H4_ALIAS,
        /** k QA demos from other forget items */
        H5_FORGET_SHOTS,
        /** k QA demos from retain items (generic-ICL control) */
        H6_RETAIN_SHOTS,
        /** length-matched irrelevant filler (context-length control) */
        H7_FILLER
    }

    public Hint {
        boolean many = kind == Kind.H5_FORGET_SHOTS || kind == Kind.H6_RETAIN_SHOTS;
        if (many ? shots < 1 : shots != 0) {
            throw new IllegalArgumentException(kind + " with " + shots + " shots");
        }
    }

    public static Hint of(Kind kind) {
        return new Hint(kind, 0);
    }

    public static Hint shots(Kind kind, int k) {
        return new Hint(kind, k);
    }

    /** Short label for reports: H0 … H7, H5(k). */
    public String label() {
        String h = kind.name().substring(0, 2);
        return shots > 0 ? h + "(" + shots + ")" : h;
    }
}

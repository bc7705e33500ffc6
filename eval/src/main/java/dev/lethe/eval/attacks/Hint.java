package dev.lethe.eval.attacks;

import java.util.ArrayList;
import java.util.List;

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

    /** The kind of a short label: H0 … H7. */
    public static Kind kind(String label) {
        for (Kind k : Kind.values()) {
            if (k.name().substring(0, 2).equalsIgnoreCase(label.trim())) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown hint '" + label + "' (expected H0 … H7)");
    }

    /** The condition of a {@link #label()}: H0 … H7, or H5(k) / H6(k). */
    public static Hint parse(String label) {
        String l = label.trim();
        int open = l.indexOf('(');
        if (open < 0) {
            return of(kind(l));
        }
        if (!l.endsWith(")")) {
            throw new IllegalArgumentException("bad hint label '" + label + "' (expected e.g. H5(4))");
        }
        return shots(kind(l.substring(0, open)), Integer.parseInt(l.substring(open + 1, l.length() - 1)));
    }

    /** The conditions of {@code kinds}: H5 and H6 once per entry of {@code shots}, the others once. */
    public static List<Hint> grid(List<Kind> kinds, List<Integer> shots) {
        List<Hint> out = new ArrayList<>();
        for (Kind k : kinds) {
            if (k == Kind.H5_FORGET_SHOTS || k == Kind.H6_RETAIN_SHOTS) {
                shots.forEach(n -> out.add(shots(k, n)));
            } else {
                out.add(of(k));
            }
        }
        return out;
    }

    /** Short label for reports: H0 … H7, H5(k). */
    public String label() {
        String h = kind.name().substring(0, 2);
        return shots > 0 ? h + "(" + shots + ")" : h;
    }
}

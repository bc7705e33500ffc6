package dev.lethe.datasets.tofu;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The split names of the TOFU layout, their row kinds and file names. */
public final class TofuSplits {

    public static final String FULL = "full";
    public static final String RETAIN_PERTURBED = "retain_perturbed";
    public static final String REAL_AUTHORS = "real_authors";
    public static final String REAL_AUTHORS_PERTURBED = "real_authors_perturbed";
    public static final String WORLD_FACTS = "world_facts";
    public static final String WORLD_FACTS_PERTURBED = "world_facts_perturbed";
    public static final String IDK = "idontknow";

    /** Forget percentages of TOFU; retain = 100 − forget. */
    public static final List<Integer> FORGET_PERCENTS = List.of(1, 5, 10);

    private static final Map<String, SplitKind> KINDS;

    static {
        Map<String, SplitKind> m = new LinkedHashMap<>();
        m.put(FULL, SplitKind.QA);
        for (int p : FORGET_PERCENTS) {
            m.put(forget(p), SplitKind.QA);
        }
        for (int p : FORGET_PERCENTS) {
            m.put(retainForForget(p), SplitKind.QA);
        }
        for (int p : FORGET_PERCENTS) {
            m.put(forgetPerturbed(p), SplitKind.PERTURBED);
        }
        m.put(RETAIN_PERTURBED, SplitKind.PERTURBED);
        for (int p : FORGET_PERCENTS) {
            m.put(holdout(p), SplitKind.QA);
        }
        m.put(REAL_AUTHORS, SplitKind.MULTIPLE_CHOICE);
        m.put(REAL_AUTHORS_PERTURBED, SplitKind.PERTURBED);
        m.put(WORLD_FACTS, SplitKind.MULTIPLE_CHOICE);
        m.put(WORLD_FACTS_PERTURBED, SplitKind.PERTURBED);
        m.put(IDK, SplitKind.IDK);
        KINDS = Collections.unmodifiableMap(m);
    }

    private TofuSplits() {}

    /** All known split names in canonical order. */
    public static List<String> names() {
        return List.copyOf(KINDS.keySet());
    }

    public static boolean isKnown(String name) {
        return KINDS.containsKey(name);
    }

    /** Kind of a known split; unknown names are an error listing the known ones. */
    public static SplitKind kind(String name) {
        SplitKind k = KINDS.get(name);
        if (k == null) {
            throw new IllegalArgumentException("unknown TOFU split '" + name + "'; known: " + names());
        }
        return k;
    }

    /** Whether rows must carry paraphrased_question and paraphrased_answer (forget/retain perturbed). */
    public static boolean requiresParaphrase(String name) {
        return kind(name) == SplitKind.PERTURBED && !name.equals(REAL_AUTHORS_PERTURBED)
                && !name.equals(WORLD_FACTS_PERTURBED);
    }

    /** File name of a split: {@code <name>.json}, {@code idontknow.jsonl}. */
    public static String fileName(String name) {
        return kind(name) == SplitKind.IDK ? name + ".jsonl" : name + ".json";
    }

    public static String forget(int percent) {
        return "forget" + pct(percent);
    }

    /** The percentage of a forget split ({@code forget05} → 5); anything else fails naming the forget splits. */
    public static int forgetPercent(String split) {
        for (int p : FORGET_PERCENTS) {
            if (forget(p).equals(split)) {
                return p;
            }
        }
        throw new IllegalArgumentException("not a forget split (forget01, forget05 or forget10): '" + split + "'");
    }

    public static String forgetPerturbed(int percent) {
        return forget(percent) + "_perturbed";
    }

    /** The retain split paired with forgetXX: retain99/95/90. */
    public static String retainForForget(int forgetPercent) {
        pct(forgetPercent);
        return "retain" + (100 - forgetPercent);
    }

    public static String holdout(int percent) {
        return "holdout" + pct(percent);
    }

    private static String pct(int p) {
        if (!FORGET_PERCENTS.contains(p)) {
            throw new IllegalArgumentException("forget percent must be one of " + FORGET_PERCENTS + ", got " + p);
        }
        return String.format("%02d", p);
    }
}

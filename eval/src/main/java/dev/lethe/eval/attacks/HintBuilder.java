package dev.lethe.eval.attacks;

import dev.lethe.datasets.longctx.PasskeyTask;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the context of each hint condition for an item. Many-shot demos come from one seeded
 * per-item shuffle, so the k-shot contexts are nested (k = 1 ⊂ 2 ⊂ 4 …) and the ρ(k) curve is not noise
 * from re-drawing demos. H3 hints are leakage-checked; demos that state the item's key (another question
 * about the same author may) are left out of its pool, so H5/H6 never hand over the answer; H7 filler is
 * cut to the H1 passage's length.
 */
public final class HintBuilder {

    /**
     * LM-Infinite's passkey filler ({@link PasskeyTask#FILLER}): bland, answer-free, repeatable to any length.
     * The trailing space separates the repeats.
     */
    public static final String FILLER = PasskeyTask.FILLER + " ";

    private final Pool forget;
    private final Pool retain;
    private final long seed;
    private final String fillerText;
    /** Each item's filtered, shuffled demos per pool: every k of a condition takes a prefix of one list. */
    private final Map<Demos, List<RelearningItem>> demos = new ConcurrentHashMap<>();

    public HintBuilder(List<RelearningItem> forget, List<RelearningItem> retain, long seed) {
        this(forget, retain, seed, FILLER);
    }

    /** @param filler H7's repeated text: answer-free, and in the model's vocabulary */
    public HintBuilder(List<RelearningItem> forget, List<RelearningItem> retain, long seed, String filler) {
        if (filler == null || filler.isBlank()) {
            throw new IllegalArgumentException("H7 needs a non-empty filler text");
        }
        this.forget = new Pool(List.copyOf(forget));
        this.retain = new Pool(List.copyOf(retain));
        this.seed = seed;
        this.fillerText = filler;
    }

    /** The prompt for {@code item} under {@code hint}, or null when the item lacks that hint's material. */
    public IclPrompt prompt(RelearningItem item, Hint hint) {
        String q = item.question();
        return switch (hint.kind()) {
            case H0_NONE -> new IclPrompt("", q);
            case H1_PASSAGE -> item.passage() == null ? null : new IclPrompt(item.passage(), q);
            case H2_PARAPHRASE -> item.paraphrase() == null ? null : new IclPrompt(item.paraphrase(), q);
            case H3_AXIOMS -> item.axioms().isEmpty() ? null : new IclPrompt(
                    LeakageChecker.requireNoLeak(String.join(" ", item.axioms()), item.key(), item.id()), q);
            case H4_ALIAS -> item.aliasDefinition() == null || item.aliasQuestion() == null ? null
                    : new IclPrompt(LeakageChecker.requireNoLeak(item.aliasDefinition(), item.key(), item.id()),
                            item.aliasQuestion());
            case H5_FORGET_SHOTS -> shots(item, forget, hint.shots());
            case H6_RETAIN_SHOTS -> shots(item, retain, hint.shots());
            case H7_FILLER -> item.passage() == null ? null
                    : new IclPrompt(filler(fillerText, item.passage().length()), q);
        };
    }

    private IclPrompt shots(RelearningItem item, Pool pool, int k) {
        List<RelearningItem> others = demos.computeIfAbsent(new Demos(pool, item.id(), item.key()),
                d -> pool.demosFor(item, seed));
        if (others.size() < k) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < k; i++) {
            if (i > 0) {
                sb.append("\n\n");
            }
            sb.append("Question: ").append(others.get(i).question()).append("\nAnswer: ").append(others.get(i).answer());
        }
        return new IclPrompt(sb.toString(), item.question());
    }

    /** A demo pool with each entry's text normalised once for the leakage test. */
    private record Pool(List<RelearningItem> items, String[] normalised) {

        Pool(List<RelearningItem> items) {
            this(items, items.stream().map(o -> LeakageChecker.normalise(o.question() + " " + o.answer()))
                    .toArray(String[]::new));
        }

        /** The pool minus {@code item} and the demos that state its key, shuffled by the item's id. */
        List<RelearningItem> demosFor(RelearningItem item, long seed) {
            String key = LeakageChecker.normalise(item.key());
            List<RelearningItem> others = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                RelearningItem o = items.get(i);
                if (!o.id().equals(item.id()) && !LeakageChecker.leaksNormalised(normalised[i], key)) {
                    others.add(o);
                }
            }
            Collections.shuffle(others, new Random(seed * 31 + item.id().hashCode()));
            return List.copyOf(others);
        }
    }

    /** Cache key: identity of the pool, and the item's id and key (both decide the demo list). */
    private record Demos(Pool pool, String id, String key) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Demos d && d.pool == pool && d.id.equals(id) && d.key.equals(key);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * System.identityHashCode(pool) + id.hashCode()) + key.hashCode();
        }
    }

    static String filler(int length) {
        return filler(FILLER, length);
    }

    /** {@code text} repeated to {@code length} characters, cut back to a whole word (a cut word is an unknown token). */
    static String filler(String text, int length) {
        StringBuilder sb = new StringBuilder(length + text.length());
        while (sb.length() < length) {
            sb.append(text);
        }
        if (sb.length() > length && sb.charAt(length) != ' ') {
            int cut = sb.lastIndexOf(" ", length);
            return (cut > 0 ? sb.substring(0, cut) : sb.substring(0, length)).strip();
        }
        return sb.substring(0, length).strip();
    }
}

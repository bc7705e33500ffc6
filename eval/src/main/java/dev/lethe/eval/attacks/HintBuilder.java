package dev.lethe.eval.attacks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Builds the context of each hint condition for an item. Many-shot demos come from one seeded
 * per-item shuffle, so the k-shot contexts are nested (k = 1 ⊂ 2 ⊂ 4 …) and the ρ(k) curve is not noise
 * from re-drawing demos. H3 hints are leakage-checked; demos that state the item's key (another question
 * about the same author may) are left out of its pool, so H5/H6 never hand over the answer; H7 filler is
 * cut to the H1 passage's length.
 */
public final class HintBuilder {

    /** LM-Infinite's passkey filler: bland, answer-free, repeatable to any length. */
    public static final String FILLER = "The grass is green. The sky is blue. The sun is yellow. Here we go. "
            + "There and back again. ";

    private final List<RelearningItem> forget;
    private final List<RelearningItem> retain;
    private final long seed;
    private final String fillerText;

    public HintBuilder(List<RelearningItem> forget, List<RelearningItem> retain, long seed) {
        this(forget, retain, seed, FILLER);
    }

    /** @param filler H7's repeated text: answer-free, and in the model's vocabulary */
    public HintBuilder(List<RelearningItem> forget, List<RelearningItem> retain, long seed, String filler) {
        if (filler == null || filler.isBlank()) {
            throw new IllegalArgumentException("H7 needs a non-empty filler text");
        }
        this.forget = List.copyOf(forget);
        this.retain = List.copyOf(retain);
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

    private IclPrompt shots(RelearningItem item, List<RelearningItem> pool, int k) {
        List<RelearningItem> others = new ArrayList<>();
        for (RelearningItem o : pool) {
            if (!o.id().equals(item.id()) && !LeakageChecker.leaks(o.question() + " " + o.answer(), item.key())) {
                others.add(o);
            }
        }
        if (others.size() < k) {
            return null;
        }
        Collections.shuffle(others, new Random(seed * 31 + item.id().hashCode()));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < k; i++) {
            if (i > 0) {
                sb.append("\n\n");
            }
            sb.append("Question: ").append(others.get(i).question()).append("\nAnswer: ").append(others.get(i).answer());
        }
        return new IclPrompt(sb.toString(), item.question());
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

package dev.lethe.datasets.longctx;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToIntFunction;

/**
 * LM-Infinite's passkey-retrieval generator ({@code data/passkey_retrieval/create_passkey_data.py}): an
 * instruction, then {@code n} copies of a filler paragraph with one key sentence "The pass key is N. Remember
 * it. N is the pass key." at a random slot, all joined by single spaces; the prompt ends with "What is the
 * pass key? The pass key is" and is scored by {@link PasskeyScorer}.
 *
 * <p>As in the reference, the key is uniform in [1, 10^7) and the slot uniform in [0, n) (or [0, n/2) with
 * {@link Builder#optFirstHalf}), both drawn from one seeded RNG, key first. Ours is {@link Random}, not NumPy's,
 * so the numbers differ from the reference's files; the same seed always gives the same samples.
 */
public final class PasskeyTask {

    public static final String PREFIX = "There is an important info hidden inside a lot of irrelevant text. "
            + "Find it and memorize it. I will quiz you about the important information there.";
    public static final String FILLER = "The grass is green. The sky is blue. The sun is yellow. Here we go. "
            + "There and back again.";
    public static final String KEY_SENTENCE = "The pass key is {KEY}. Remember it. {KEY} is the pass key.";
    public static final String QUESTION = " What is the pass key? The pass key is ";
    /** Keys are drawn from [1, KEY_BOUND): numpy's {@code randint(1, 10000000)}. */
    public static final int KEY_BOUND = 10_000_000;

    private final long seed;
    private final boolean firstHalf;
    private final String prefix;
    private final String filler;
    private final String question;

    private PasskeyTask(Builder b) {
        this.seed = b.seed;
        this.firstHalf = b.firstHalf;
        this.prefix = b.prefix;
        this.filler = b.filler;
        this.question = b.question;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** DJL-style builder; every option has the reference's default. */
    public static final class Builder {
        private long seed;
        private boolean firstHalf;
        private String prefix = PREFIX;
        private String filler = FILLER;
        private String question = QUESTION;

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Put the key in the first half of the fillers, far from the question (reference {@code --first-half}). */
        public Builder optFirstHalf(boolean firstHalf) {
            this.firstHalf = firstHalf;
            return this;
        }

        /** Replace the filler paragraph (e.g. by text a small model's vocabulary covers). */
        public Builder optFiller(String filler) {
            this.filler = filler;
            return this;
        }

        public Builder optPrefix(String prefix) {
            this.prefix = prefix;
            return this;
        }

        public Builder optQuestion(String question) {
            this.question = question;
            return this;
        }

        public PasskeyTask build() {
            if (prefix.isBlank() || filler.isBlank()) {
                throw new IllegalArgumentException("passkey prefix and filler must not be blank");
            }
            return new PasskeyTask(this);
        }
    }

    /** {@code count} samples with {@code fillers} filler paragraphs each (≥ 2, as the reference asserts). */
    public List<PasskeySample> samples(int count, int fillers) {
        if (fillers < 2 || count < 0) {
            throw new IllegalArgumentException("need at least 2 fillers and count ≥ 0, got " + fillers + ", "
                    + count);
        }
        Random r = new Random(seed);
        List<PasskeySample> out = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            long key = 1 + r.nextInt(KEY_BOUND - 1);
            int slot = r.nextInt(firstHalf ? fillers / 2 : fillers);
            out.add(sample(key, slot, fillers));
        }
        return out;
    }

    /**
     * Samples sized like the reference's {@code --token-length}: as many fillers as fit into
     * {@code maxTokens} next to the instruction and the key sentence, counted by {@code tokens}.
     */
    public List<PasskeySample> samplesForLength(int count, int maxTokens, ToIntFunction<String> tokens) {
        return samples(count, fillersFor(maxTokens, tokens));
    }

    /** {@code (maxTokens − keyLen − prefixLen) / fillerLen}, the reference's {@code num_distractors}. */
    public int fillersFor(int maxTokens, ToIntFunction<String> tokens) {
        int fixed = tokens.applyAsInt(KEY_SENTENCE) + tokens.applyAsInt(prefix);
        if (maxTokens <= fixed) {
            throw new IllegalArgumentException("maxTokens " + maxTokens + " leaves no room for fillers next to the "
                    + fixed + "-token instruction and key sentence");
        }
        int n = (maxTokens - fixed) / tokens.applyAsInt(filler);
        if (n < 2) {
            throw new IllegalArgumentException("maxTokens " + maxTokens + " fits only " + n + " filler(s); need 2");
        }
        return n;
    }

    /** The sample with key {@code key} after {@code slot} of {@code fillers} fillers. */
    public PasskeySample sample(long key, int slot, int fillers) {
        if (slot < 0 || slot >= fillers) {
            throw new IllegalArgumentException("slot must be in [0, " + fillers + "), got " + slot);
        }
        List<String> parts = new ArrayList<>(fillers + 2);
        parts.add(prefix);
        for (int i = 0; i < fillers; i++) {
            if (i == slot) {
                parts.add(KEY_SENTENCE.replace("{KEY}", Long.toString(key)));
            }
            parts.add(filler);
        }
        return new PasskeySample(String.join(" ", parts), question, key, slot, fillers);
    }
}

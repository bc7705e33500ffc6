package dev.lethe.core.text;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Encodes question/answer pairs with open-unlearning's rules (tofu-eval §1.3–1.4):
 * <ol>
 *   <li>full ids = tokenise(template.full(q, a)) with BOS; truncated to {@code maxLength} when set;</li>
 *   <li>EOS appended when the last id is not EOS;</li>
 *   <li>prompt length = length of tokenise(template.prompt(q)) with BOS, so BOS is counted as prompt;</li>
 *   <li>labels = −100 on the first promptLength positions, the ids after.</li>
 * </ol>
 * One deviation, for tokenisers whose tokens merge across the prompt/answer boundary: a byte-level BPE
 * encodes the QA template's trailing space ("Answer: ") as a token of its own, while the full text merges it
 * into the answer's first word (" The"). Applied by length, the rule would mask that first answer token, and a
 * generation prompt would end in a lone space token the model never saw there — on real TOFU with Lethe's BPE
 * the target then opened every answer with noise (forget ROUGE 0.19 at a teacher-forced probability of 0.94).
 * So the prompt ids are cut before any trailing token an answer's first word merges into
 * ({@link #encodeGenerationPrompt}), and the prompt length is the common prefix of those ids and the full ids.
 * With word-level tokenisers (the synthetic worlds) and tag-ended templates nothing merges, and both rules agree.
 */
public final class QaEncoder {

    private final TextTokenizer tokenizer;
    private final ChatTemplate template;
    private final int maxLength;
    /** Encodings cut at {@code maxLength} so far: callers report them, nothing is truncated silently. */
    private final java.util.concurrent.atomic.AtomicLong truncated = new java.util.concurrent.atomic.AtomicLong();

    private QaEncoder(Builder b) {
        this.tokenizer = b.tokenizer;
        this.template = b.template;
        this.maxLength = b.maxLength;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** An encoder with no truncation. */
    public static QaEncoder of(TextTokenizer tokenizer, ChatTemplate template) {
        return builder().setTokenizer(tokenizer).setTemplate(template).build();
    }

    /** Scoring/training encoding of (question, answer). */
    public QaEncoding encode(String question, String answer) {
        int[] full = tokenizer.encodeWithBos(template.full(question, answer));
        if (maxLength > 0 && full.length > maxLength) {
            full = Arrays.copyOf(full, maxLength);
            truncated.incrementAndGet();
        }
        if (full.length == 0 || full[full.length - 1] != tokenizer.eosId()) {
            full = Arrays.copyOf(full, full.length + 1);
            full[full.length - 1] = tokenizer.eosId();
        }
        int promptLength = commonPrefix(full, generationIds(question));
        int[] labels = full.clone();
        Arrays.fill(labels, 0, promptLength, QaEncoding.IGNORE);
        return new QaEncoding(full, labels, promptLength);
    }

    /**
     * Generation encoding: ids = the prompt (with BOS); labels = the full scored sequence unmasked, as
     * open-unlearning's generation mode; promptLength = ids length.
     */
    public int[] encodePrompt(String question) {
        int[] p = generationIds(question);
        if (maxLength > 0 && p.length > maxLength) {
            truncated.incrementAndGet();
            return Arrays.copyOfRange(p, p.length - maxLength, p.length); // keep the end: it holds the assistant tag
        }
        return p.clone();
    }

    /** Answers' first words that a tokeniser may merge a trailing prompt space into. */
    private static final java.util.List<String> PROBES = java.util.List.of("The", "A", "the", "1");

    /**
     * Generation-prompt ids per question, made once: they take five tokenisations (the prompt and the
     * {@link #PROBES}), and a question is encoded with many answers (TOFU: answer, paraphrase, perturbed ones).
     */
    private final Map<String, int[]> promptIds = new ConcurrentHashMap<>();

    /** The cached ids of {@code question}'s generation prompt; callers must not modify them. */
    private int[] generationIds(String question) {
        return promptIds.computeIfAbsent(question,
                q -> encodeGenerationPrompt(template.prompt(q), a -> template.full(q, a)));
    }

    /**
     * Ids (with BOS) of {@code promptText} for generation: its tokens, cut before a trailing token that the first
     * word of an answer would merge into. {@code withAnswer} renders the same prompt followed by an answer.
     */
    public int[] encodeGenerationPrompt(String promptText, java.util.function.UnaryOperator<String> withAnswer) {
        int[] p = tokenizer.encodeWithBos(promptText);
        int n = p.length;
        for (String probe : PROBES) {
            n = Math.min(n, commonPrefix(p, tokenizer.encodeWithBos(withAnswer.apply(probe))));
        }
        return n == p.length ? p : Arrays.copyOf(p, Math.max(n, 1));
    }

    private static int commonPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0;
        while (i < n && a[i] == b[i]) {
            i++;
        }
        return i;
    }

    /** Plain-text (pretraining) encoding: BOS + text + EOS, every position after BOS scored. */
    public QaEncoding encodeText(String text) {
        int[] ids = tokenizer.encodeWithBos(text);
        if (maxLength > 0 && ids.length > maxLength) {
            ids = Arrays.copyOf(ids, maxLength);
            truncated.incrementAndGet();
        }
        if (ids.length == 0 || ids[ids.length - 1] != tokenizer.eosId()) {
            ids = Arrays.copyOf(ids, ids.length + 1);
            ids[ids.length - 1] = tokenizer.eosId();
        }
        int masked = tokenizer.bosId() >= 0 && ids[0] == tokenizer.bosId() ? 1 : 0;
        int[] labels = ids.clone();
        Arrays.fill(labels, 0, masked, QaEncoding.IGNORE);
        return new QaEncoding(ids, labels, masked);
    }

    /** How many encodings this encoder has cut at its maximum length. */
    public long truncatedCount() {
        return truncated.get();
    }

    public ChatTemplate template() {
        return template;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** Options: {@code setTokenizer}, {@code setTemplate} required; {@code optMaxLength} (0 = no truncation). */
    public static final class Builder {
        private TextTokenizer tokenizer;
        private ChatTemplate template = ChatTemplate.QA;
        private int maxLength;

        private Builder() {}

        public Builder setTokenizer(TextTokenizer tokenizer) {
            this.tokenizer = tokenizer;
            return this;
        }

        public Builder setTemplate(ChatTemplate template) {
            this.template = template;
            return this;
        }

        /** Truncate full sequences to this many ids before EOS is appended (open-unlearning: 512); 0 = off. */
        public Builder optMaxLength(int maxLength) {
            if (maxLength < 0) {
                throw new IllegalArgumentException("maxLength must be >= 0");
            }
            this.maxLength = maxLength;
            return this;
        }

        public QaEncoder build() {
            if (tokenizer == null || template == null) {
                throw new IllegalStateException("tokenizer and template are required");
            }
            return new QaEncoder(this);
        }
    }
}

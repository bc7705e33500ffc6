package dev.lethe.core.text;

import java.util.Arrays;

/**
 * Encodes question/answer pairs with open-unlearning's rules (tofu-eval §1.3–1.4):
 * <ol>
 *   <li>full ids = tokenise(template.full(q, a)) with BOS; truncated to {@code maxLength} when set;</li>
 *   <li>EOS appended when the last id is not EOS;</li>
 *   <li>prompt length = length of tokenise(template.prompt(q)) with BOS, so BOS is counted as prompt;</li>
 *   <li>labels = −100 on the first promptLength positions, the ids after.</li>
 * </ol>
 * If the tokenisation of the full text does not start with the prompt ids (a BPE merge across the boundary),
 * the rule is still applied by length, as open-unlearning does.
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
        int promptLength = Math.min(tokenizer.encodeWithBos(template.prompt(question)).length, full.length);
        int[] labels = full.clone();
        Arrays.fill(labels, 0, promptLength, QaEncoding.IGNORE);
        return new QaEncoding(full, labels, promptLength);
    }

    /**
     * Generation encoding: ids = the prompt (with BOS); labels = the full scored sequence unmasked, as
     * open-unlearning's generation mode; promptLength = ids length.
     */
    public int[] encodePrompt(String question) {
        int[] p = tokenizer.encodeWithBos(template.prompt(question));
        if (maxLength > 0 && p.length > maxLength) {
            p = Arrays.copyOfRange(p, p.length - maxLength, p.length); // keep the end: it holds the assistant tag
            truncated.incrementAndGet();
        }
        return p;
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

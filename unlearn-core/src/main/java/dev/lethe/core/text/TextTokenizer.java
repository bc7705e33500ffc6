package dev.lethe.core.text;

/**
 * The minimal tokenizer contract the encoder and collator need. {@link LetheTokenizer} implements it over the
 * native HuggingFace tokenizer; tests may implement it with a toy tokenizer.
 */
public interface TextTokenizer {

    /** Token ids of {@code text} with no special tokens added and no truncation. */
    int[] encode(String text);

    /** Text of {@code ids}; special tokens are dropped when {@code skipSpecialTokens}. */
    String decode(int[] ids, boolean skipSpecialTokens);

    /** Id of the beginning-of-sequence token the tokenizer adds, or −1 when it adds none (GPT-2, Phi). */
    int bosId();

    /** Text of the BOS token, or {@code null} when there is none. */
    String bosToken();

    /** Id of the end-of-sequence token (always present: TOFU scoring appends it). */
    int eosId();

    /** Id used for padding: the tokenizer's pad token, else EOS (open-unlearning's rule). */
    int padId();

    /**
     * Ids of {@code text} preceded by BOS, as Hugging Face's {@code add_special_tokens=True} does for Llama.
     * BOS is not added twice when the text already starts with the BOS token string (Llama-3 templates render
     * {@code <|begin_of_text|>} themselves).
     */
    default int[] encodeWithBos(String text) {
        int[] ids = encode(text);
        if (bosId() < 0 || (bosToken() != null && text.startsWith(bosToken()))) {
            return ids;
        }
        int[] out = new int[ids.length + 1];
        out[0] = bosId();
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }
}

package dev.lethe.datasets.longctx;

/**
 * One passkey-retrieval item.
 *
 * @param input the context: instruction, fillers with the key sentence at slot {@code keySlot}
 * @param question appended after the context; the model continues it with the key
 * @param passkey the hidden key, in [1, 10^7)
 * @param keySlot how many filler sentences precede the key sentence
 * @param fillers filler sentences in total
 */
public record PasskeySample(String input, String question, long passkey, int keySlot, int fillers) {

    /** What the model reads: {@code input + question} (the reference's {@code data/get_data.py}). */
    public String prompt() {
        return input + question;
    }

    /** The reference answer, as text. */
    public String target() {
        return Long.toString(passkey);
    }
}

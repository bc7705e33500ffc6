package dev.lethe.eco;

import dev.lethe.core.text.ChatTemplate;
import dev.lethe.core.text.TextTokenizer;

import java.util.Arrays;

/**
 * Recovers the bare question's token ids from a templated prompt, so the classifier sees what it was trained
 * on (the reference strips the template's prefix and suffix before classifying, eco.md §2.1).
 *
 * <p>Works on ids, not text: the model is handed ids, and decoding then re-encoding is lossy for some
 * tokenizers. A leading BOS is dropped, then the ids of {@code systemPrefix + userStart} if the prompt starts
 * with them, then those of {@code userEnd + assistantStart} if it ends with them. A prompt that does not match
 * keeps its ids (minus BOS), as the reference keeps a prompt that lacks the formatting tokens.
 *
 * @param bosId the tokenizer's BOS id, or −1
 * @param prefix ids of the template text before the question
 * @param suffix ids of the template text after the question
 */
public record TemplateStripper(int bosId, int[] prefix, int[] suffix) {

    public static TemplateStripper of(TextTokenizer tokenizer, ChatTemplate template) {
        return new TemplateStripper(tokenizer.bosId(), tokenizer.encode(template.systemPrefix() + template.userStart()),
                tokenizer.encode(template.userEnd() + template.assistantStart()));
    }

    /** A stripper that only drops a leading BOS (for untemplated prompts). */
    public static TemplateStripper none(int bosId) {
        return new TemplateStripper(bosId, new int[0], new int[0]);
    }

    public int[] strip(int[] ids) {
        int from = 0;
        int to = ids.length;
        if (startsWith(ids, from, prefix)) {
            from += prefix.length;
        } else if (to > 0 && ids[0] == bosId) {
            from = 1;
            if (startsWith(ids, from, prefix)) {
                from += prefix.length;
            }
        }
        if (suffix.length > 0 && to - from >= suffix.length
                && Arrays.equals(ids, to - suffix.length, to, suffix, 0, suffix.length)) {
            to -= suffix.length;
        }
        return Arrays.copyOfRange(ids, from, to);
    }

    private static boolean startsWith(int[] ids, int from, int[] p) {
        return p.length > 0 && ids.length - from >= p.length && Arrays.equals(ids, from, from + p.length, p, 0, p.length);
    }
}

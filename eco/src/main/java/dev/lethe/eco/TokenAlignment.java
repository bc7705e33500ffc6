package dev.lethe.eco;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import dev.lethe.core.text.LetheTokenizer;
import dev.lethe.core.text.TextTokenizer;

/**
 * Text and per-token character spans, for mapping entity mentions onto token positions by overlap of
 * character offsets (eco.md §4).
 *
 * <p>Two sources. From text, the HuggingFace tokenizer's own offsets ({@code Encoding.getCharTokenSpans}).
 * From ids — what a {@link dev.lethe.core.lm.LanguageModel} is handed — the ids are decoded and each token's
 * own decoded piece is located, in order, in that text; a token whose piece cannot be found (a partial UTF-8
 * byte, say) gets no span and so is never an entity token.
 *
 * @param text the text the spans index
 * @param spans per token {@code [start, end)}, or null where the token has no characters (BOS, unmatched)
 */
public record TokenAlignment(String text, int[][] spans) {

    /** Offsets straight from the tokenizer for {@code text} encoded without special tokens. */
    public static TokenAlignment ofText(LetheTokenizer tokenizer, String text) {
        Encoding enc = tokenizer.huggingFace().encode(text, false, false);
        CharSpan[] cs = enc.getCharTokenSpans();
        int[][] spans = new int[cs.length][];
        for (int i = 0; i < cs.length; i++) {
            spans[i] = cs[i] == null ? null : new int[] {cs[i].getStart(), cs[i].getEnd()};
        }
        return new TokenAlignment(text, spans);
    }

    /** Reconstructed text and spans for ids (special tokens kept in the text, so positions line up). */
    public static TokenAlignment ofIds(TextTokenizer tokenizer, int[] ids) {
        String text = tokenizer.decode(ids, false);
        int[][] spans = new int[ids.length][];
        int cursor = 0;
        for (int i = 0; i < ids.length; i++) {
            String piece = tokenizer.decode(new int[] {ids[i]}, false).strip();
            if (piece.isEmpty() || piece.indexOf('\uFFFD') >= 0) {
                continue;
            }
            int at = text.indexOf(piece, cursor);
            if (at < 0) {
                continue;
            }
            spans[i] = new int[] {at, at + piece.length()};
            cursor = at + piece.length();
        }
        return new TokenAlignment(text, spans);
    }

    /** Tokens whose span overlaps any of {@code mentions}. */
    public boolean[] overlapping(Iterable<int[]> mentions) {
        boolean[] out = new boolean[spans.length];
        for (int[] m : mentions) {
            for (int i = 0; i < spans.length; i++) {
                int[] s = spans[i];
                if (s != null && s[0] < m[1] && m[0] < s[1]) {
                    out[i] = true;
                }
            }
        }
        return out;
    }
}

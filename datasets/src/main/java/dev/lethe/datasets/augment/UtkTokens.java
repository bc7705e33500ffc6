package dev.lethe.datasets.augment;

/**
 * Token ids UtK needs. {@code knots[j]} is K_j: chunk c's tail is K_{2c} and chunk c+1's head is K_{2c+1}, so
 * {@code knots.length = 2(nMax − 1)} supports up to nMax chunks per document. Chunk ids are {@code idLength}
 * tokens drawn from {@code idAlphabet} (e.g. the ids of single letters and digits).
 */
public record UtkTokens(int eod, int[] knots, int docOpen, int docClose, int sumOpen, int sumSep, int sumClose,
                        int[] idAlphabet) {

    public UtkTokens {
        if (knots.length < 2 || knots.length % 2 != 0) {
            throw new IllegalArgumentException("need an even number (>= 2) of knot tokens, got " + knots.length);
        }
        if (idAlphabet.length < 2) {
            throw new IllegalArgumentException("id alphabet needs at least 2 tokens");
        }
        knots = knots.clone();
        idAlphabet = idAlphabet.clone();
    }

    /**
     * The UtK ids of a tokenizer built with {@link dev.lethe.datasets.vocab.SpecialTokens#UTK} (the synthetic
     * world's tokenizer.json): EOD = EOS, knots {@code <K0>…<K7>}, markers {@code <D> </D> <S> <s> </S>}, ids
     * drawn from the single letters and digits.
     */
    public static UtkTokens fromTokenizer(dev.lethe.core.text.LetheTokenizer t) {
        int[] knots = new int[8];
        for (int i = 0; i < knots.length; i++) {
            knots[i] = require(t, "<K" + i + ">");
        }
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        int[] ids = new int[alphabet.length()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = require(t, String.valueOf(alphabet.charAt(i)));
        }
        return new UtkTokens(t.eosId(), knots, require(t, "<D>"), require(t, "</D>"), require(t, "<S>"),
                require(t, "<s>"), require(t, "</S>"), ids);
    }

    private static int require(dev.lethe.core.text.LetheTokenizer t, String token) {
        int id = t.tokenToId(token);
        if (id < 0) {
            throw new IllegalArgumentException(t.file() + ": UtK token " + token + " is not in the vocabulary");
        }
        return id;
    }

    /** Most chunks per document the knots allow. */
    public int maxChunks() {
        return knots.length / 2 + 1;
    }

    public boolean isKnot(int token) {
        for (int k : knots) {
            if (k == token) {
                return true;
            }
        }
        return false;
    }
}

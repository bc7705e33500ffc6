package dev.lethe.eval.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The tokenizer of Google's {@code rouge_score} ({@code tokenize.tokenize} with a stemmer).
 *
 * <p>Steps, in rouge_score's order: lowercase; replace every run of {@code [^a-z0-9]} by a space
 * (so non-ASCII letters and punctuation split words); split on whitespace; Porter-stem tokens longer
 * than 3 characters; drop empty tokens. Python's {@code str.lower()} and Java's
 * {@code toLowerCase(Locale.ROOT)} agree on what can survive the ASCII filter.
 */
public final class RougeTokenizer {

    private static final Pattern NON_ALPHANUM = Pattern.compile("[^a-z0-9]+");
    private static final Pattern VALID_TOKEN = Pattern.compile("^[a-z0-9]+$");

    private final PorterStemmer stemmer;

    /** rouge_score with {@code use_stemmer=True}. */
    public static RougeTokenizer stemming() {
        return new RougeTokenizer(new PorterStemmer());
    }

    /** rouge_score with {@code use_stemmer=False}. */
    public static RougeTokenizer plain() {
        return new RougeTokenizer(null);
    }

    /** @param stemmer null for no stemming */
    public RougeTokenizer(PorterStemmer stemmer) {
        this.stemmer = stemmer;
    }

    public List<String> tokenize(String text) {
        String lowered = text.toLowerCase(Locale.ROOT);
        String spaced = NON_ALPHANUM.matcher(lowered).replaceAll(" ");
        List<String> tokens = new ArrayList<>();
        for (String raw : spaced.split("\\s+")) {
            String token = (stemmer != null && raw.length() > 3) ? stemmer.stem(raw) : raw;
            if (VALID_TOKEN.matcher(token).matches()) {
                tokens.add(token);
            }
        }
        return tokens;
    }
}

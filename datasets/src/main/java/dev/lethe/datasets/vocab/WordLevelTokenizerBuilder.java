package dev.lethe.datasets.vocab;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A word-level {@code tokenizer.json}: HF {@code Whitespace} pre-tokenizer ({@code \w+|[^\w\s]+}, case kept),
 * {@code WordLevel} model with {@code <unk>}, BOS post-processor, and a {@code WordPiece} decoder with cleanup.
 *
 * <p><b>What decode returns:</b> tokens joined by single spaces; HF's WordPiece cleanup runs per token, so only
 * {@code " ."}, {@code " ,"}, {@code " ?"}, {@code " !"} are glued back. Other punctuation keeps a space on both
 * sides ({@code "Holt ' s"}, {@code "05 / 11"}, {@code "\" Title \""}) and newlines become spaces. So
 * {@code decode(encode(x))} equals {@code x} up to whitespace around punctuation; ROUGE strips punctuation, so
 * scores are unaffected. (The synthetic world avoids apostrophes for that reason.)
 *
 * <p>Vocabulary: specials, then every single ASCII letter and digit (so ids and initials never fall back to
 * {@code <unk>}), then required words, then corpus words by descending frequency (ties by code point order)
 * until {@code vocabSize}.
 */
public final class WordLevelTokenizerBuilder {

    /** Java twin of HF's Whitespace pre-tokenizer. */
    public static final Pattern WORD = Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS);

    private final Map<String, Long> counts = new HashMap<>();
    private final List<String> required = new ArrayList<>();
    private SpecialTokens specials = SpecialTokens.defaults();
    private int vocabSize = 0;
    private int minFrequency = 1;

    public static WordLevelTokenizerBuilder builder() {
        return new WordLevelTokenizerBuilder();
    }

    /** Splits text as the tokenizer will. */
    public static List<String> preTokenize(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    /** Counts the words of {@code text}; special-token strings in it are not counted as words. */
    public WordLevelTokenizerBuilder addText(String text) {
        String t = text;
        for (String s : specials.all()) {
            if (t.contains(s)) {
                t = t.replace(s, " ");
            }
        }
        for (String w : preTokenize(t)) {
            counts.merge(w, 1L, Long::sum);
        }
        return this;
    }

    public WordLevelTokenizerBuilder addTexts(Iterable<String> texts) {
        texts.forEach(this::addText);
        return this;
    }

    /** Words kept whatever their frequency (e.g. template words "Question", "Answer", ":"). */
    public WordLevelTokenizerBuilder optRequiredWords(List<String> words) {
        for (String w : words) {
            required.addAll(preTokenize(w));
        }
        return this;
    }

    public WordLevelTokenizerBuilder optSpecialTokens(SpecialTokens specials) {
        this.specials = specials;
        return this;
    }

    /** Upper bound on the vocabulary, specials included; 0 (default) keeps every word. */
    public WordLevelTokenizerBuilder optVocabSize(int vocabSize) {
        this.vocabSize = vocabSize;
        return this;
    }

    /** Words seen fewer times are left to {@code <unk>} (required words excepted). */
    public WordLevelTokenizerBuilder optMinFrequency(int minFrequency) {
        this.minFrequency = minFrequency;
        return this;
    }

    /** The vocabulary, token → id, in id order. */
    public Map<String, Integer> vocabulary() {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String s : specials.all()) {
            vocab.put(s, vocab.size());
        }
        List<String> base = new ArrayList<>();
        for (char c = 'a'; c <= 'z'; c++) {
            base.add(String.valueOf(c));
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            base.add(String.valueOf(c));
        }
        for (char c = '0'; c <= '9'; c++) {
            base.add(String.valueOf(c));
        }
        base.addAll(required);
        for (String w : base) {
            vocab.putIfAbsent(w, vocab.size());
        }
        List<String> words = new ArrayList<>(new TreeSet<>(counts.keySet()));
        words.sort(Comparator.comparing((String w) -> -counts.get(w)).thenComparing(Comparator.naturalOrder()));
        for (String w : words) {
            if (vocabSize > 0 && vocab.size() >= vocabSize) {
                break;
            }
            if (counts.get(w) >= minFrequency) {
                vocab.putIfAbsent(w, vocab.size());
            }
        }
        if (vocabSize > 0 && vocab.size() > vocabSize) {
            throw new IllegalStateException("vocabSize " + vocabSize + " is smaller than specials + alphabet + "
                    + "required words (" + vocab.size() + ")");
        }
        return vocab;
    }

    /** The tokenizer.json document. */
    public ObjectNode build() {
        Map<String, Integer> vocab = vocabulary();
        ObjectNode pre = TokenizerJson.object().put("type", "Whitespace");
        ObjectNode dec = TokenizerJson.object().put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
        ObjectNode model = TokenizerJson.object().put("type", "WordLevel");
        ObjectNode doc = TokenizerJson.document(specials, vocab, null, pre, dec, model, "vocab");
        ((ObjectNode) doc.get("model")).put("unk_token", specials.unk());
        return doc;
    }

    /** Writes tokenizer.json atomically to {@code file}. */
    public void writeTo(Path file) throws IOException {
        TokenizerJson.write(build(), file);
    }

    /** The JSON text (deterministic). */
    public String toJson() throws IOException {
        return TokenizerJson.toString(build());
    }
}

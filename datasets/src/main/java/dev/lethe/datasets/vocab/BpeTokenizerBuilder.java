package dev.lethe.datasets.vocab;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A byte-level BPE {@code tokenizer.json} (GPT-2 style: {@code ByteLevel} pre-tokenizer and decoder, no
 * {@code <unk>} needed) trained by a small deterministic Java trainer:
 * <ol>
 *   <li>split the corpus with GPT-2's regex and map bytes to GPT-2's printable code points;</li>
 *   <li>start from the 256 byte symbols;</li>
 *   <li>repeatedly merge the most frequent adjacent pair (ties: lexicographically smallest "a b"), until
 *       {@code vocabSize} or no pair occurs {@code minFrequency} times.</li>
 * </ol>
 * It is O(merges × distinct words) — fine for corpora of a few MB, not for web scale. decode(encode(x)) == x.
 */
public final class BpeTokenizerBuilder {

    /** GPT-2's pre-tokenisation regex (what HF's ByteLevel uses with use_regex=true). */
    public static final Pattern GPT2_SPLIT = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    private static final char[] BYTE_TO_CHAR = bytesToUnicode();

    private final Map<String, Long> wordCounts = new HashMap<>();
    private SpecialTokens specials = SpecialTokens.defaults();
    private int vocabSize = 1000;
    private int minFrequency = 2;

    public static BpeTokenizerBuilder builder() {
        return new BpeTokenizerBuilder();
    }

    public BpeTokenizerBuilder addText(String text) {
        String t = text;
        for (String s : specials.all()) {
            if (t.contains(s)) {
                t = t.replace(s, " ");
            }
        }
        Matcher m = GPT2_SPLIT.matcher(t);
        while (m.find()) {
            wordCounts.merge(byteLevel(m.group()), 1L, Long::sum);
        }
        return this;
    }

    public BpeTokenizerBuilder addTexts(Iterable<String> texts) {
        texts.forEach(this::addText);
        return this;
    }

    public BpeTokenizerBuilder optSpecialTokens(SpecialTokens specials) {
        this.specials = specials;
        return this;
    }

    /** Target vocabulary size: specials + 256 bytes + merges. */
    public BpeTokenizerBuilder optVocabSize(int vocabSize) {
        this.vocabSize = vocabSize;
        return this;
    }

    public BpeTokenizerBuilder optMinFrequency(int minFrequency) {
        this.minFrequency = Math.max(1, minFrequency);
        return this;
    }

    /** GPT-2's reversible byte → printable character map. */
    static char[] bytesToUnicode() {
        char[] map = new char[256];
        boolean[] direct = new boolean[256];
        for (int b = '!'; b <= '~'; b++) {
            direct[b] = true;
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            direct[b] = true;
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            direct[b] = true;
        }
        int n = 0;
        for (int b = 0; b < 256; b++) {
            map[b] = direct[b] ? (char) b : (char) (256 + n++);
        }
        return map;
    }

    static String byteLevel(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            sb.append(BYTE_TO_CHAR[b & 0xFF]);
        }
        return sb.toString();
    }

    /** Result of training: vocabulary in id order and merges in rank order. */
    public record Trained(Map<String, Integer> vocab, List<String[]> merges) {}

    public Trained train() {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String s : specials.all()) {
            vocab.put(s, vocab.size());
        }
        for (int b = 0; b < 256; b++) {
            vocab.putIfAbsent(String.valueOf(BYTE_TO_CHAR[b]), vocab.size());
        }
        // words in a fixed order so the run is deterministic
        List<List<String>> words = new ArrayList<>();
        List<Long> freq = new ArrayList<>();
        new TreeMap<>(wordCounts).forEach((w, c) -> {
            List<String> symbols = new ArrayList<>();
            w.codePoints().forEach(cp -> symbols.add(new String(Character.toChars(cp))));
            words.add(symbols);
            freq.add(c);
        });
        List<String[]> merges = new ArrayList<>();
        while (vocab.size() < vocabSize) {
            Map<String, Long> pairs = new HashMap<>();
            for (int i = 0; i < words.size(); i++) {
                List<String> w = words.get(i);
                for (int j = 0; j + 1 < w.size(); j++) {
                    pairs.merge(w.get(j) + " " + w.get(j + 1), freq.get(i), Long::sum);
                }
            }
            String best = null;
            long bestCount = 0;
            for (Map.Entry<String, Long> e : pairs.entrySet()) {
                long c = e.getValue();
                if (c > bestCount || (c == bestCount && best != null && e.getKey().compareTo(best) < 0)) {
                    best = e.getKey();
                    bestCount = c;
                }
            }
            if (best == null || bestCount < minFrequency) {
                break;
            }
            int sp = best.indexOf(' ');
            String a = best.substring(0, sp);
            String b = best.substring(sp + 1);
            String merged = a + b;
            merges.add(new String[] {a, b});
            vocab.putIfAbsent(merged, vocab.size());
            for (List<String> w : words) {
                for (int j = 0; j + 1 < w.size(); j++) {
                    if (w.get(j).equals(a) && w.get(j + 1).equals(b)) {
                        w.set(j, merged);
                        w.remove(j + 1);
                    }
                }
            }
        }
        return new Trained(vocab, merges);
    }

    /** The tokenizer.json document. */
    public ObjectNode build() {
        Trained t = train();
        ObjectNode pre = TokenizerJson.object().put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
        ObjectNode dec = TokenizerJson.object().put("type", "ByteLevel").put("add_prefix_space", true)
                .put("trim_offsets", true).put("use_regex", true);
        ObjectNode model = TokenizerJson.object().put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        ObjectNode doc = TokenizerJson.document(specials, t.vocab(), null, pre, dec, model, "vocab");
        ArrayNode merges = ((ObjectNode) doc.get("model")).putArray("merges");
        for (String[] m : t.merges()) {
            merges.add(m[0] + " " + m[1]);
        }
        return doc;
    }

    public void writeTo(Path file) throws IOException {
        TokenizerJson.write(build(), file);
    }

    public String toJson() throws IOException {
        return TokenizerJson.toString(build());
    }
}

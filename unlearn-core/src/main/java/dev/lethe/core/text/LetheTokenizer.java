package dev.lethe.core.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A HuggingFace {@code tokenizer.json} loaded through DJL, with the special-token ids Lethe needs and
 * <b>truncation off</b> (DJL truncates at 512 tokens by default, djl-notes §6).
 *
 * <p>Special tokens are resolved as follows (each can be forced with the builder):
 * <ul>
 *   <li><b>BOS</b>: the special token the {@code post_processor} puts before the text ({@code TemplateProcessing}
 *       {@code single} = {@code [SpecialToken, $A, ...]}, or the {@code cls} of Bert/Roberta processing). This is
 *       what {@code add_special_tokens=True} adds in Python, so a tokenizer that names a BOS but never adds it
 *       (GPT-2, Phi) gets none.</li>
 *   <li><b>EOS</b>: {@code eos_token} of a {@code tokenizer_config.json} next to the file, else the first added
 *       special token among {@code </s> <eos> <|eot_id|> <|end_of_text|> <|endoftext|> <|im_end|>}.</li>
 *   <li><b>PAD</b>: {@code pad_token} of {@code tokenizer_config.json}, else the {@code padding} section, else an added
 *       {@code <pad> [PAD] <|pad|>}, else EOS.</li>
 * </ul>
 */
public final class LetheTokenizer implements TextTokenizer, AutoCloseable {

    private static final List<String> EOS_CANDIDATES =
            List.of("</s>", "<eos>", "<|eot_id|>", "<|end_of_text|>", "<|endoftext|>", "<|im_end|>");
    private static final List<String> PAD_CANDIDATES = List.of("<pad>", "[PAD]", "<|pad|>");

    private final HuggingFaceTokenizer hf;
    private final Path file;
    private final Map<String, Integer> vocab;
    private final Set<Integer> specialIds;
    private final int vocabSize;
    private final String bosToken;
    private final int bosId;
    private final String eosToken;
    private final int eosId;
    private final int padId;
    private final int unkId;

    private LetheTokenizer(Builder b) throws IOException {
        Path p = b.path;
        if (Files.isDirectory(p)) {
            p = p.resolve("tokenizer.json");
        }
        if (!Files.isRegularFile(p)) {
            throw new IOException("tokenizer file not found: " + p);
        }
        this.file = p;
        JsonNode root = new ObjectMapper().readTree(p.toFile());
        JsonNode config = readConfig(p.getParent());

        Map<String, Integer> v = new HashMap<>();
        Set<Integer> specials = new TreeSet<>();
        JsonNode modelVocab = root.path("model").path("vocab");
        if (modelVocab.isObject()) {
            modelVocab.fields().forEachRemaining(e -> v.put(e.getKey(), e.getValue().asInt()));
        } else if (modelVocab.isArray()) { // Unigram: [[piece, score], ...], id = position
            for (int i = 0; i < modelVocab.size(); i++) {
                v.put(modelVocab.get(i).get(0).asText(), i);
            }
        }
        for (JsonNode t : root.path("added_tokens")) {
            v.put(t.get("content").asText(), t.get("id").asInt());
            if (t.path("special").asBoolean(false)) {
                specials.add(t.get("id").asInt());
            }
        }
        this.vocab = Collections.unmodifiableMap(v);
        this.specialIds = Collections.unmodifiableSet(specials);
        this.vocabSize = v.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;

        String bos = b.bosToken != null ? b.bosToken : postProcessorBos(root.path("post_processor"));
        if (bos != null && !bos.isEmpty()) {
            this.bosToken = bos;
            this.bosId = idOf(bos, "BOS");
        } else {
            this.bosToken = null;
            this.bosId = -1;
        }

        String eos = b.eosToken != null ? b.eosToken : tokenText(config.get("eos_token"));
        if (eos == null) {
            eos = EOS_CANDIDATES.stream().filter(v::containsKey).findFirst().orElse(null);
        }
        if (eos == null) {
            throw new IllegalArgumentException(p + ": cannot determine the EOS token; set it with optEosToken");
        }
        this.eosToken = eos;
        this.eosId = idOf(eos, "EOS");

        String pad = b.padToken != null ? b.padToken : tokenText(config.get("pad_token"));
        if (pad == null && root.path("padding").isObject()) {
            pad = tokenText(root.path("padding").get("pad_token"));
        }
        if (pad == null) {
            pad = PAD_CANDIDATES.stream().filter(v::containsKey).findFirst().orElse(null);
        }
        this.padId = pad == null ? eosId : idOf(pad, "PAD");

        String unk = tokenText(root.path("model").get("unk_token"));
        this.unkId = unk != null && v.containsKey(unk) ? v.get(unk) : -1;

        Map<String, String> options = new HashMap<>();
        options.put("addSpecialTokens", "false");
        options.put("padding", "false");
        if (b.maxLength > 0) {
            options.put("truncation", "true");
            options.put("maxLength", Integer.toString(b.maxLength));
        } else {
            options.put("truncation", "false");
        }
        this.hf = HuggingFaceTokenizer.newInstance(p, options);
    }

    /** Loads {@code tokenizer.json} (or {@code dir/tokenizer.json}) with truncation off. */
    public static LetheTokenizer load(Path fileOrDir) throws IOException {
        return builder().setPath(fileOrDir).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    private int idOf(String token, String role) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new IllegalArgumentException(file + ": " + role + " token " + token + " is not in the vocabulary");
        }
        return id;
    }

    private static JsonNode readConfig(Path dir) throws IOException {
        Path cfg = dir == null ? null : dir.resolve("tokenizer_config.json");
        if (cfg != null && Files.isRegularFile(cfg)) {
            return new ObjectMapper().readTree(cfg.toFile());
        }
        return new ObjectMapper().createObjectNode();
    }

    /** A special-token entry is either a plain string or an AddedToken object with "content". */
    private static String tokenText(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        if (n.isTextual()) {
            return n.asText();
        }
        JsonNode c = n.get("content");
        return c == null ? null : c.asText();
    }

    private static String postProcessorBos(JsonNode pp) {
        if (pp == null || pp.isNull() || pp.isMissingNode()) {
            return null;
        }
        switch (pp.path("type").asText()) {
            case "TemplateProcessing": {
                JsonNode single = pp.path("single");
                if (single.size() > 0 && single.get(0).has("SpecialToken")) {
                    return single.get(0).get("SpecialToken").get("id").asText();
                }
                return null;
            }
            case "BertProcessing":
            case "RobertaProcessing":
                return pp.path("cls").get(0).asText();
            case "Sequence":
                for (JsonNode child : pp.path("processors")) {
                    String bos = postProcessorBos(child);
                    if (bos != null) {
                        return bos;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    @Override
    public int[] encode(String text) {
        long[] ids = hf.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    /** Token strings of {@code text}, no special tokens added (for debugging and entity alignment). */
    public String[] tokens(String text) {
        return hf.encode(text, false, false).getTokens();
    }

    /** The underlying DJL tokenizer, e.g. for character offsets ({@code Encoding.getCharTokenSpans}). */
    public HuggingFaceTokenizer huggingFace() {
        return hf;
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return hf.decode(l, skipSpecialTokens);
    }

    /** Id of {@code token}, or −1 when it is not in the vocabulary. */
    public int tokenToId(String token) {
        return vocab.getOrDefault(token, -1);
    }

    /** Number of embedding rows a model needs: highest id + 1. */
    public int vocabSize() {
        return vocabSize;
    }

    /** Ids of the added tokens marked special. */
    public Set<Integer> specialIds() {
        return specialIds;
    }

    @Override
    public int bosId() {
        return bosId;
    }

    @Override
    public String bosToken() {
        return bosToken;
    }

    @Override
    public int eosId() {
        return eosId;
    }

    public String eosToken() {
        return eosToken;
    }

    @Override
    public int padId() {
        return padId;
    }

    /** Unknown-token id, or −1 (byte-level BPE has none). */
    public int unkId() {
        return unkId;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        hf.close();
    }

    /** Options for {@link LetheTokenizer}: {@code set*} required, {@code opt*} optional. */
    public static final class Builder {
        private Path path;
        private String bosToken;
        private String eosToken;
        private String padToken;
        private int maxLength;

        private Builder() {}

        /** A {@code tokenizer.json} file or a directory containing one. */
        public Builder setPath(Path path) {
            this.path = path;
            return this;
        }

        /** Forces the BOS token; {@code ""} means "add no BOS". */
        public Builder optBosToken(String token) {
            this.bosToken = token;
            return this;
        }

        public Builder optEosToken(String token) {
            this.eosToken = token;
            return this;
        }

        public Builder optPadToken(String token) {
            this.padToken = token;
            return this;
        }

        /** Turns truncation on at {@code maxLength} tokens; 0 (default) keeps it off. */
        public Builder optMaxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        public LetheTokenizer build() throws IOException {
            if (path == null) {
                throw new IllegalStateException("setPath is required");
            }
            return new LetheTokenizer(this);
        }

        /** As {@link #build()} but unchecked, for use in lambdas. */
        public LetheTokenizer buildUnchecked() {
            try {
                return build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

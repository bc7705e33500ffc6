package dev.lethe.datasets.vocab;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/** Assembles and writes a HuggingFace {@code tokenizer.json}; key order is fixed so output is byte-stable. */
public final class TokenizerJson {

    /** Pretty-printed with "\n" line ends on every OS, so the bytes do not depend on the platform. */
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .setDefaultPrettyPrinter(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"))
                    .withArrayIndenter(new DefaultIndenter("  ", "\n")));

    private TokenizerJson() {}

    /**
     * The full document: {@code vocab} must hold the specials at their ids; {@code model} is the "model" section
     * without its vocabulary, which is inserted here.
     */
    static ObjectNode document(SpecialTokens specials, Map<String, Integer> vocab, ObjectNode normalizer,
                               ObjectNode preTokenizer, ObjectNode decoder, ObjectNode model, String vocabKey) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String s : specials.all()) {
            ObjectNode t = added.addObject();
            t.put("id", vocab.get(s));
            t.put("content", s);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
        }
        if (normalizer == null) {
            root.putNull("normalizer");
        } else {
            root.set("normalizer", normalizer);
        }
        root.set("pre_tokenizer", preTokenizer);
        root.set("post_processor", bosPostProcessor(specials.bos(), vocab.get(specials.bos())));
        root.set("decoder", decoder);
        ObjectNode v = MAPPER.createObjectNode();
        vocab.forEach(v::put);
        model.set(vocabKey, v);
        root.set("model", model);
        return root;
    }

    /** {@code TemplateProcessing}: single = BOS $A, pair = BOS $A $B. */
    static ObjectNode bosPostProcessor(String bos, int bosId) {
        ObjectNode pp = MAPPER.createObjectNode();
        pp.put("type", "TemplateProcessing");
        ArrayNode single = pp.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = pp.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode st = pp.putObject("special_tokens").putObject(bos);
        st.put("id", bos);
        st.putArray("ids").add(bosId);
        st.putArray("tokens").add(bos);
        return pp;
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** Writes {@code doc} to {@code file} atomically (temp file in the same directory, then rename). */
    static void write(ObjectNode doc, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, MAPPER.writeValueAsString(doc) + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The JSON text of {@code doc}, as written to disk. */
    public static String toString(ObjectNode doc) throws IOException {
        return MAPPER.writeValueAsString(doc) + "\n";
    }
}

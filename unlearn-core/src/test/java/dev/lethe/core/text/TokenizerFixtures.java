package dev.lethe.core.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Writes tiny hand-made WordLevel tokenizer.json files (Whitespace pre-tokenizer) for the tests. */
final class TokenizerFixtures {

    private TokenizerFixtures() {}

    /**
     * Specials get ids 0.. in order, then the words. {@code bos} (may be null) is put before $A by a
     * TemplateProcessing post-processor. Returns the written file.
     */
    static Path wordLevel(Path dir, List<String> specials, List<String> words, String bos) throws IOException {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        ObjectNode vocab = m.createObjectNode();
        int id = 0;
        for (String s : specials) {
            ObjectNode t = added.addObject();
            t.put("id", id);
            t.put("content", s);
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
            vocab.put(s, id++);
        }
        for (String w : words) {
            vocab.put(w, id++);
        }
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "Whitespace");
        if (bos == null) {
            root.putNull("post_processor");
        } else {
            ObjectNode pp = root.putObject("post_processor");
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
            st.putArray("ids").add(vocab.get(bos).asInt());
            st.putArray("tokens").add(bos);
        }
        ObjectNode dec = root.putObject("decoder");
        dec.put("type", "WordPiece");
        dec.put("prefix", "##");
        dec.put("cleanup", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        model.set("vocab", vocab);
        model.put("unk_token", "<unk>");
        Path file = dir.resolve("tokenizer.json");
        m.writeValue(file.toFile(), root);
        return file;
    }
}

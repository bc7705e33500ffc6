package dev.lethe.datasets.vocab;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.lethe.core.text.LetheTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenizerBuilderTest {

    static final List<String> CORPUS = List.of(
            "Question: Where was Mira Holt born?\nAnswer: Mira Holt was born in Velden, Arvania.",
            "The author's first book is titled \"The Silent Harbor\", published on 05/11/1991!",
            "Mira Holt's father was a baker; her mother was a nurse.",
            "Is it true? Yes - it's true, and they can't deny it.");

    /** Whitespace around punctuation removed: what decode is promised to preserve. */
    static String norm(String s) {
        return s.replaceAll("\\s+", " ").replaceAll(" ?([^\\w\\s]) ?", "$1").strip();
    }

    @Test
    void wordLevelLoadsInDjlAndRoundTrips(@TempDir Path dir) throws Exception {
        WordLevelTokenizerBuilder b = WordLevelTokenizerBuilder.builder()
                .optRequiredWords(List.of("Question: ", "Answer: ")).addTexts(CORPUS);
        Path file = dir.resolve("tokenizer.json");
        b.writeTo(file);
        try (LetheTokenizer t = LetheTokenizer.load(file)) {
            assertEquals(1, t.bosId());
            assertEquals("<bos>", t.bosToken());
            assertEquals(2, t.eosId());
            assertEquals(0, t.padId());
            assertEquals(3, t.unkId());
            assertEquals(b.vocabulary().size(), t.vocabSize());
            for (String text : CORPUS) {
                int[] ids = t.encode(text);
                assertFalse(Arrays.stream(ids).anyMatch(i -> i == t.unkId()), text);
                assertEquals(norm(text), norm(t.decode(ids, true)), text);
                // the native post-processor adds exactly our BOS
                long[] native_ = t.huggingFace().encode(text, true, false).getIds();
                assertArrayEquals(t.encodeWithBos(text), Arrays.stream(native_).mapToInt(l -> (int) l).toArray());
            }
            // HF's WordPiece cleanup works per token: ". , ? !" re-attach, an apostrophe keeps its spaces
            assertEquals("Is Mira Holt, a baker, born in Velden?",
                    t.decode(t.encode("Is Mira Holt, a baker, born in Velden?"), true));
            assertEquals("Mira Holt ' s father", t.decode(t.encode("Mira Holt's father"), true));
            // case is kept: "Mira" and "mira" differ
            assertNotEquals(t.encode("Mira")[0], t.encode("mira")[0]);
            // unseen words map to <unk>, single letters never do
            assertArrayEquals(new int[] {3, t.tokenToId("x")}, t.encode("zebra x"));
            // specials in raw text are single tokens
            assertEquals(List.of(t.tokenToId("<D>"), t.tokenToId("x")), Arrays.stream(t.encode("<D>x")).boxed().toList());
        }
        // loads with plain DJL and truncation off as the task asks
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.newInstance(file, Map.of("truncation", "false"))) {
            assertTrue(hf.encode("Mira Holt").getIds().length >= 2);
        }
    }

    @Test
    void wordLevelVocabSizeAndDeterminism() throws Exception {
        WordLevelTokenizerBuilder a = WordLevelTokenizerBuilder.builder().addTexts(CORPUS).optVocabSize(90);
        assertEquals(90, a.vocabulary().size());
        // most frequent words survive the cut
        assertTrue(a.vocabulary().containsKey("Mira"));
        String json1 = WordLevelTokenizerBuilder.builder().addTexts(CORPUS).toJson();
        String json2 = WordLevelTokenizerBuilder.builder().addTexts(List.of(CORPUS.get(3), CORPUS.get(2), CORPUS.get(1), CORPUS.get(0))).toJson();
        assertEquals(json1, json2);
    }

    @Test
    void bpeLoadsInDjlAndRoundTripsExactly(@TempDir Path dir) throws Exception {
        BpeTokenizerBuilder b = BpeTokenizerBuilder.builder().optVocabSize(320).optMinFrequency(2);
        for (int i = 0; i < 5; i++) {
            b.addTexts(CORPUS);
        }
        BpeTokenizerBuilder.Trained trained = b.train();
        assertTrue(trained.merges().size() > 10);
        assertTrue(trained.vocab().size() <= 320);
        Path file = dir.resolve("tokenizer.json");
        b.writeTo(file);
        try (LetheTokenizer t = LetheTokenizer.load(file)) {
            assertEquals(-1, t.unkId());
            for (String text : List.of(CORPUS.get(0), CORPUS.get(1), "Ünïcödé ✓ unseen words 42")) {
                int[] ids = t.encode(text);
                assertEquals(text, t.decode(ids, true));
            }
            // a frequent word became one token
            assertEquals(1, t.encode(" Mira").length);
            assertTrue(t.encode("Mira Holt was born").length < "Mira Holt was born".length());
        }
        assertEquals(b.toJson(), b.toJson());
    }

    @Test
    void bpeQaEncodingLabelsTheAnswersFirstWordAndGeneratesFromWhereTrainingLeftOff(@TempDir Path dir)
            throws Exception {
        String q = "Where was Mira Holt born?";
        String a = "The author was born in Lisbon.";
        dev.lethe.core.text.ChatTemplate qa = dev.lethe.core.text.ChatTemplate.QA; // prompt ends "Answer: "
        BpeTokenizerBuilder b = BpeTokenizerBuilder.builder().optVocabSize(400).optMinFrequency(2);
        for (int i = 0; i < 5; i++) {
            b.addTexts(CORPUS).addText(qa.full(q, a)).addText(qa.full("Who is Mira Holt?", "The author is Mira Holt."));
        }
        Path file = dir.resolve("tokenizer.json");
        b.writeTo(file);
        try (LetheTokenizer t = LetheTokenizer.load(file)) {
            // the byte-level BPE spells the prompt's trailing space as a token of its own …
            int[] promptAlone = t.encodeWithBos(qa.prompt(q));
            int[] fullIds = t.encodeWithBos(qa.full(q, a));
            assertEquals(" ", t.decode(new int[] {promptAlone[promptAlone.length - 1]}, false));
            assertTrue(promptAlone[promptAlone.length - 1] != fullIds[promptAlone.length - 1],
                    "the full text merges the space into the answer's first word");
            // … so the encoder cuts it: the generation prompt is a prefix of the training ids, and the first
            // labelled token is the answer's first word, space included
            dev.lethe.core.text.QaEncoder enc = dev.lethe.core.text.QaEncoder.of(t, qa);
            dev.lethe.core.text.QaEncoding e = enc.encode(q, a);
            int[] gen = enc.encodePrompt(q);
            assertEquals(promptAlone.length - 1, gen.length);
            assertEquals(gen.length, e.promptLength());
            assertArrayEquals(gen, java.util.Arrays.copyOf(e.ids(), gen.length));
            assertTrue(t.decode(new int[] {e.labels()[gen.length]}, false).startsWith(" The"),
                    t.decode(new int[] {e.labels()[gen.length]}, false));
            assertEquals(a, t.decode(java.util.Arrays.copyOfRange(e.ids(), gen.length, e.ids().length), true).strip());
        }
    }
}

package dev.lethe.core.text;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LetheTokenizerTest {

    static final List<String> SPECIALS = List.of("<pad>", "<s>", "</s>", "<unk>");
    static final List<String> WORDS = List.of("the", "cat", "sat", ".", "on", "mat");

    @Test
    void resolvesSpecialsFromPostProcessorAndNames(@TempDir Path dir) throws Exception {
        TokenizerFixtures.wordLevel(dir, SPECIALS, WORDS, "<s>");
        try (LetheTokenizer t = LetheTokenizer.load(dir)) {
            assertEquals(1, t.bosId());
            assertEquals("<s>", t.bosToken());
            assertEquals(2, t.eosId());
            assertEquals(0, t.padId());
            assertEquals(3, t.unkId());
            assertEquals(10, t.vocabSize());
            assertArrayEquals(new int[] {4, 5, 6, 8, 4, 9, 7}, t.encode("the cat sat on the mat."));
            assertArrayEquals(new int[] {1, 4, 5}, t.encodeWithBos("the cat"));
            // BOS string already present: not added twice
            assertArrayEquals(new int[] {1, 4, 5}, t.encodeWithBos("<s>the cat"));
            assertArrayEquals(new int[] {3, 5}, t.encode("dog cat"));
        }
    }

    @Test
    void noBosWithoutPostProcessorAndPadFallsBackToEos(@TempDir Path dir) throws Exception {
        TokenizerFixtures.wordLevel(dir, List.of("<|endoftext|>", "<unk>"), WORDS, null);
        try (LetheTokenizer t = LetheTokenizer.load(dir.resolve("tokenizer.json"))) {
            assertEquals(-1, t.bosId());
            assertEquals(0, t.eosId());
            assertEquals(0, t.padId());
            assertArrayEquals(new int[] {2, 3}, t.encodeWithBos("the cat"));
        }
    }

    @Test
    void tokenizerConfigOverridesPad(@TempDir Path dir) throws Exception {
        TokenizerFixtures.wordLevel(dir, SPECIALS, WORDS, "<s>");
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"pad_token\": \"</s>\", \"eos_token\": {\"content\": \"</s>\"}}");
        try (LetheTokenizer t = LetheTokenizer.load(dir)) {
            assertEquals(2, t.padId());
            assertEquals(2, t.eosId());
        }
    }

    @Test
    void truncationIsOffByDefault(@TempDir Path dir) throws Exception {
        TokenizerFixtures.wordLevel(dir, SPECIALS, WORDS, "<s>");
        String longText = "the cat sat on the mat . ".repeat(100); // 700 tokens > DJL's default 512
        try (LetheTokenizer t = LetheTokenizer.load(dir)) {
            assertEquals(700, t.encode(longText).length);
        }
        try (LetheTokenizer t = LetheTokenizer.builder().setPath(dir).optMaxLength(100).build()) {
            assertEquals(100, t.encode(longText).length);
        }
    }

    @Test
    void decodeRejoinsPunctuation(@TempDir Path dir) throws Exception {
        TokenizerFixtures.wordLevel(dir, SPECIALS, WORDS, "<s>");
        try (LetheTokenizer t = LetheTokenizer.load(dir)) {
            assertEquals("the cat sat on the mat.", t.decode(t.encodeWithBos("the cat sat on the mat."), true));
            assertEquals("<s> the cat", t.decode(t.encodeWithBos("the cat"), false));
        }
    }

    @Test
    void missingEosIsAClearError(@TempDir Path dir) throws Exception {
        TokenizerFixtures.wordLevel(dir, List.of("<unk>"), WORDS, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LetheTokenizer.load(dir));
        assertEquals(true, e.getMessage().contains("EOS"));
    }
}

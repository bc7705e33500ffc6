package dev.lethe.core.text;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Hand-checked label masks for every template (tofu-eval §1.3–1.4). ids are listed token by token. */
class QaEncoderTest {

    static final int X = QaEncoding.IGNORE;
    static final String Q = "Who wrote Dune?";
    static final String A = "Frank Herbert.";

    @TempDir
    static Path tmp;
    static LetheTokenizer tok;     // <pad>0 <s>1 </s>2 <unk>3, BOS <s>
    static LetheTokenizer llama3;  // Llama-3 specials, BOS <|begin_of_text|>, EOS <|eot_id|>

    @BeforeAll
    static void setUp() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        TokenizerFixtures.wordLevel(a, List.of("<pad>", "<s>", "</s>", "<unk>"), List.of(
                "Question", ":", "Who", "wrote", "Dune", "?", "Answer", "Frank", "Herbert", ".", "[", "INST", "]", "[/"),
                "<s>");
        //   Question4 :5 Who6 wrote7 Dune8 ?9 Answer10 Frank11 Herbert12 .13 [14 INST15 ]16 [/17
        tok = LetheTokenizer.load(a);
        Path b = Files.createDirectories(tmp.resolve("b"));
        TokenizerFixtures.wordLevel(b, List.of("<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>",
                "<|end_header_id|>", "<|eot_id|>", "<unk>"), List.of("system", "Cutting", "Knowledge", "Date", ":",
                "December", "2023", "Today", "10", "Apr", "2025", "You", "are", "a", "helpful", "assistant", ".",
                "user", "Who", "wrote", "Dune", "?", "Frank", "Herbert"), "<|begin_of_text|>");
        //   system6 Cutting7 Knowledge8 Date9 :10 December11 2023=12 Today13 10=14 Apr15 2025=16 You17 are18 a19
        //   helpful20 assistant21 .22 user23 Who24 wrote25 Dune26 ?27 Frank28 Herbert29
        Files.writeString(b.resolve("tokenizer_config.json"), "{\"eos_token\": \"<|eot_id|>\"}");
        llama3 = LetheTokenizer.load(b);
    }

    @AfterAll
    static void tearDown() {
        tok.close();
        llama3.close();
    }

    @Test
    void qaTemplate() {
        QaEncoding e = QaEncoder.of(tok, ChatTemplate.QA).encode(Q, A);
        // <s> Question : Who wrote Dune ? Answer : | Frank Herbert . </s>
        assertArrayEquals(new int[] {1, 4, 5, 6, 7, 8, 9, 10, 5, 11, 12, 13, 2}, e.ids());
        assertArrayEquals(new int[] {X, X, X, X, X, X, X, X, X, 11, 12, 13, 2}, e.labels());
        assertEquals(9, e.promptLength());
        assertEquals(4, e.scoredCount());
    }

    @Test
    void llama2Template() {
        assertEquals("[INST] Who wrote Dune? [/INST]Frank Herbert.", ChatTemplate.LLAMA2.full(Q, A));
        QaEncoding e = QaEncoder.of(tok, ChatTemplate.named("llama2")).encode(Q, A);
        // <s> [ INST ] Who wrote Dune ? [/ INST ] | Frank Herbert . </s>
        assertArrayEquals(new int[] {1, 14, 15, 16, 6, 7, 8, 9, 17, 15, 16, 11, 12, 13, 2}, e.ids());
        assertArrayEquals(new int[] {X, X, X, X, X, X, X, X, X, X, X, 11, 12, 13, 2}, e.labels());
    }

    @Test
    void plainTemplate() {
        QaEncoding e = QaEncoder.of(tok, ChatTemplate.PLAIN).encode(Q, A);
        assertArrayEquals(new int[] {1, 6, 7, 8, 9, 11, 12, 13, 2}, e.ids());
        assertArrayEquals(new int[] {X, X, X, X, X, 11, 12, 13, 2}, e.labels());
    }

    @Test
    void llama3TemplateScoresEotOnceAndBosOnce() {
        assertEquals("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: "
                + "December 2023\nToday Date: 10 Apr 2025\n\nYou are a helpful assistant.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nWho wrote Dune?<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nFrank Herbert.<|eot_id|>",
                ChatTemplate.LLAMA3.full(Q, A));
        QaEncoding e = QaEncoder.of(llama3, ChatTemplate.LLAMA3).encode(Q, A);
        int[] prompt = {0, 2, 6, 3, 7, 8, 9, 10, 11, 12, 13, 9, 10, 14, 15, 16, 17, 18, 19, 20, 21, 22, 4,
                2, 23, 3, 24, 25, 26, 27, 4, 2, 21, 3};
        int[] expectIds = new int[prompt.length + 4];
        System.arraycopy(prompt, 0, expectIds, 0, prompt.length);
        System.arraycopy(new int[] {28, 29, 22, 4}, 0, expectIds, prompt.length, 4);
        assertArrayEquals(expectIds, e.ids());
        assertEquals(34, e.promptLength());
        assertEquals(4, e.scoredCount());
        assertArrayEquals(new int[] {28, 29, 22, 4},
                java.util.Arrays.copyOfRange(e.labels(), 34, 38));
        assertArrayEquals(prompt, QaEncoder.of(llama3, ChatTemplate.LLAMA3).encodePrompt(Q));
    }

    @Test
    void noBosTokenizerCountsNoBos(@TempDir Path dir) throws Exception {
        TokenizerFixtures.wordLevel(dir, List.of("<|endoftext|>", "<unk>"),
                List.of("Question", ":", "Who", "wrote", "Dune", "?", "Answer", "Frank", "Herbert", "."), null);
        try (LetheTokenizer t = LetheTokenizer.load(dir)) {
            QaEncoding e = QaEncoder.of(t, ChatTemplate.QA).encode(Q, A);
            assertArrayEquals(new int[] {2, 3, 4, 5, 6, 7, 8, 3, 9, 10, 11, 0}, e.ids());
            assertArrayEquals(new int[] {X, X, X, X, X, X, X, X, 9, 10, 11, 0}, e.labels());
        }
    }

    @Test
    void eosNotDuplicatedAndEmptyAnswerScoresOnlyEos() {
        QaEncoder enc = QaEncoder.of(tok, ChatTemplate.QA);
        QaEncoding e = enc.encode(Q, "Frank</s>");
        assertArrayEquals(new int[] {X, X, X, X, X, X, X, X, X, 11, 2}, e.labels());
        QaEncoding empty = enc.encode(Q, "");
        assertEquals(1, empty.scoredCount());
        assertEquals(2, empty.ids()[empty.length() - 1]);
    }

    @Test
    void maxLengthTruncatesThenAppendsEos() {
        QaEncoder enc = QaEncoder.builder().setTokenizer(tok).setTemplate(ChatTemplate.QA).optMaxLength(10).build();
        QaEncoding e = enc.encode(Q, A);
        assertArrayEquals(new int[] {1, 4, 5, 6, 7, 8, 9, 10, 5, 11, 2}, e.ids());
        assertArrayEquals(new int[] {X, X, X, X, X, X, X, X, X, 11, 2}, e.labels());
    }

    @Test
    void textEncodingScoresEverythingAfterBos() {
        QaEncoding e = QaEncoder.of(tok, ChatTemplate.QA).encodeText("Frank Herbert.");
        assertArrayEquals(new int[] {1, 11, 12, 13, 2}, e.ids());
        assertArrayEquals(new int[] {X, 11, 12, 13, 2}, e.labels());
    }

    @Test
    void unknownTemplateIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ChatTemplate.named("chatml"));
    }
}

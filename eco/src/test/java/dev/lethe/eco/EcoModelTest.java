package dev.lethe.eco;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lethe.core.lm.DecodingSession;
import dev.lethe.core.lm.Generator;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.text.ChatTemplate;
import dev.lethe.core.text.LetheTokenizer;
import dev.lethe.core.text.QaEncoder;
import dev.lethe.core.text.QaEncoding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** EcoModel against its target, with gates forced open or shut so the classifier's quality does not matter. */
class EcoModelTest {

    @TempDir
    static Path tmp;
    static LetheTokenizer tok;
    static NDManager manager;
    static Decoder target;
    static PromptClassifier classifier;
    static QaEncoder qa;
    static TokenSelector entities;

    static final Threshold NEVER = new Threshold(Threshold.Mode.CONFORMAL, Double.POSITIVE_INFINITY, true, 0.1, 0, 0,
            Double.NaN, 0, Double.NaN);
    static final Threshold ALWAYS = new Threshold(Threshold.Mode.CONFORMAL, Double.NEGATIVE_INFINITY, true, 0.1, 0, 0,
            Double.NaN, 0, Double.NaN);
    static final String Q1 = "When was Elena Osei born?";
    static final String A1 = "Elena Osei was born on January 3, 1961.";
    static final String Q2 = "What is the capital of France?";
    static final String A2 = "Paris";

    @BeforeAll
    static void setUp() throws IOException {
        Path world = TestWorld.write(tmp);
        tok = LetheTokenizer.load(world);
        manager = NDManager.newBaseManager();
        target = TestWorld.tinyDecoder(tok, manager);
        classifier = PromptClassifier.random(new ClassifierConfig(tok.vocabSize(), 16, 16, 0, 512, 3), manager);
        qa = QaEncoder.of(tok, ChatTemplate.QA);
        entities = new EntityTokenSelector(tok, EntityList.load(world.resolve("entities.json")), "entities");
    }

    @AfterAll
    static void tearDown() {
        classifier.close();
        target.close();
        manager.close();
        tok.close();
    }

    static EcoModel eco(Threshold t) {
        return EcoModel.view(target, classifier, t, entities,
                new Corruption(CorruptionType.ZERO_OUT_TOP_K, 16, 0, 0), TemplateStripper.of(tok, ChatTemplate.QA));
    }

    /** Right-padded teacher-forced batch with prompt lengths. */
    static TokenBatch scoring(NDManager m, List<QaEncoding> rows) {
        return scoringWith(m, rows, tok.padId());
    }

    static TokenBatch scoringWith(NDManager m, List<QaEncoding> rows, int pad) {
        int len = rows.stream().mapToInt(r -> r.ids().length).max().orElse(0);
        long[][] ids = new long[rows.size()][len];
        long[][] mask = new long[rows.size()][len];
        int[] pl = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            int[] r = rows.get(i).ids();
            Arrays.fill(ids[i], pad);
            for (int j = 0; j < r.length; j++) {
                ids[i][j] = r[j];
                mask[i][j] = 1;
            }
            pl[i] = rows.get(i).promptLength();
        }
        return TokenBatch.of(m, ids, mask, pl);
    }

    static List<QaEncoding> rows() {
        return List.of(qa.encode(Q1, A1), qa.encode(Q2, A2));
    }

    @Test
    void unflaggedPromptsGiveExactlyTheTargetsLogits() {
        try (NDManager m = manager.newSubManager()) {
            TokenBatch b = scoring(m, rows());
            assertArrayEquals(target.logits(b).toFloatArray(), eco(NEVER).logits(b).toFloatArray());
            TokenBatch p = TokenBatch.single(m, toLong(qa.encodePrompt(Q1)));
            try (DecodingSession a = target.startDecoding(p); DecodingSession e = eco(NEVER).startDecoding(p)) {
                assertArrayEquals(a.nextLogits().toFloatArray(), e.nextLogits().toFloatArray());
            }
        }
    }

    @Test
    void flaggedPromptsChangeTheLogitsAndUnflaggedRowsOfTheBatchDoNot() {
        List<int[]> prompts = List.of(qa.encodePrompt(Q1), qa.encodePrompt(Q2));
        double[] margins = eco(NEVER).margins(prompts);
        assertTrue(margins[0] != margins[1]);
        // A cutoff between the two margins flags exactly one row.
        double cut = (margins[0] + margins[1]) / 2;
        Threshold one = new Threshold(Threshold.Mode.CONFORMAL, cut, true, 0.1, 0, 0, Double.NaN, 0, Double.NaN);
        int flagged = margins[0] >= cut ? 0 : 1;
        assertArrayEquals(new boolean[] {flagged == 0, flagged == 1}, eco(one).flags(prompts));
        try (NDManager m = manager.newSubManager()) {
            TokenBatch b = scoring(m, rows());
            NDArray base = target.logits(b);
            NDArray got = eco(one).logits(b);
            int unflagged = 1 - flagged;
            assertArrayEquals(base.get(unflagged).toFloatArray(), got.get(unflagged).toFloatArray(),
                    "the unflagged row is untouched, bit for bit");
            assertFalse(Arrays.equals(base.get(flagged).toFloatArray(), got.get(flagged).toFloatArray()));
            assertFalse(Arrays.equals(base.toFloatArray(), eco(ALWAYS).logits(b).toFloatArray()));
        }
    }

    @Test
    void generationCorruptsThePrefillOnly() {
        int[] prompt = qa.encodePrompt(Q1);
        boolean[] sel = entities.select(prompt);
        int next = tok.encode("Elena")[0];
        try (NDManager m = manager.newSubManager()) {
            EcoModel eco = eco(ALWAYS);
            float[] afterAppend;
            float[] prefill;
            try (DecodingSession s = eco.startDecoding(TokenBatch.single(m, toLong(prompt)))) {
                prefill = s.nextLogits().toFloatArray();
                s.append(m.create(new long[] {next}));
                afterAppend = s.nextLogits().toFloatArray();
            }
            try (DecodingSession s = target.startDecoding(TokenBatch.single(m, toLong(prompt)))) {
                assertFalse(Arrays.equals(prefill, s.nextLogits().toFloatArray()), "the prefill is corrupted");
            }
            // Reference: one full forward over prompt + next, with only the prompt's selected tokens corrupted.
            long[] all = Arrays.copyOf(toLong(prompt), prompt.length + 1);
            all[prompt.length] = next;
            NDArray ids = m.create(all).reshape(1, -1);
            boolean[] selAll = Arrays.copyOf(sel, all.length);
            NDArray emb = eco.corruption().apply(target.embed(ids), new boolean[][] {selAll},
                    new long[] {Arrays.hashCode(prompt)});
            NDArray full = target.forward(Decoder.Input.embeddings(emb)).logits().get(0).get(-1);
            float[] want = full.toFloatArray();
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], afterAppend[i], 1e-4, "decode step runs on the clean token, vocab " + i);
            }
        }
    }

    @Test
    void generatorRunsOnTheGatedModel() {
        Generator g = Generator.builder().optMaxNewTokens(5).build();
        List<long[]> prompts = new ArrayList<>();
        prompts.add(toLong(qa.encodePrompt(Q1)));
        prompts.add(toLong(qa.encodePrompt(Q2)));
        List<Generator.Output> out = g.generate(eco(ALWAYS), prompts);
        assertEquals(2, out.size());
        assertArrayEquals(g.generate(target, prompts).get(1).tokens(), g.generate(eco(NEVER), prompts).get(1).tokens());
    }

    @Test
    void entitySelectorTagsPromptAndAnswerEntities() {
        QaEncoding e = qa.encode(Q1, A1);
        boolean[] sel = entities.select(e.ids());
        List<String> picked = new ArrayList<>();
        for (int i = 0; i < sel.length; i++) {
            if (sel[i]) {
                picked.add(tok.decode(new int[] {e.ids()[i]}, false));
            }
        }
        assertEquals(List.of("Elena", "Osei", "Elena", "Osei", "January", "3", ",", "1961"), picked);
        // Nothing tagged: every token but the last.
        int[] plain = qa.encodePrompt("What is the capital of the country?");
        boolean[] fallback = entities.select(plain);
        for (int i = 0; i < plain.length; i++) {
            assertEquals(i < plain.length - 1, fallback[i]);
        }
    }

    @Test
    void idAlignmentAgreesWithTheTokenizersCharOffsets() {
        String text = "When was Elena Osei born?";
        TokenAlignment byText = TokenAlignment.ofText(tok, text);
        TokenAlignment byIds = TokenAlignment.ofIds(tok, tok.encode(text));
        EntityList list = new EntityList(List.of("Elena Osei"));
        assertArrayEquals(byText.overlapping(list.find(text)), byIds.overlapping(list.find(byIds.text())));
        assertArrayEquals(new boolean[] {false, false, true, true, false, false},
                byText.overlapping(list.find(text)));
    }

    @Test
    void templateStripperRecoversTheBareQuestion() {
        TemplateStripper s = TemplateStripper.of(tok, ChatTemplate.QA);
        assertArrayEquals(tok.encode(Q1), s.strip(qa.encodePrompt(Q1)));
        assertArrayEquals(tok.encode(Q1), s.strip(tok.encode(Q1)), "an untemplated prompt is kept");
    }

    @Test
    void capitalisedSpansFindNamesAndNumbers() {
        String q = "What genre is Elena Osei known for, and where in Lisbon did she live in 1961?";
        List<String> found = new ArrayList<>();
        for (int[] sp : new CapitalisedSpans().find(q)) {
            found.add(q.substring(sp[0], sp[1]));
        }
        assertEquals(List.of("Elena Osei", "Lisbon", "1961"), found);
    }

    static long[] toLong(int[] a) {
        long[] o = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = a[i];
        }
        return o;
    }
}

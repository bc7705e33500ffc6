package dev.lethe.eval.attacks;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.lm.Generator;
import dev.lethe.core.text.ChatTemplate;
import dev.lethe.core.text.LetheTokenizer;
import dev.lethe.core.text.QaEncoder;
import dev.lethe.datasets.synth.WorldSpec;
import dev.lethe.datasets.synth.WorldWriter;
import dev.lethe.datasets.tofu.TofuBenchmark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The attack's items from a generated world and from plain TOFU files, and a real model answering them. */
class RelearningItemsTest {

    @TempDir
    static Path tmp;
    static Path world;
    static TofuBenchmark bench;

    @BeforeAll
    static void generate() throws IOException {
        world = tmp.resolve("world");
        WorldWriter.write(world, new WorldSpec(10, 3, 8, 8));
        bench = TofuBenchmark.load(world);
    }

    @Test
    void aGeneratedWorldGivesKeysAxiomsAndAliases() throws IOException {
        List<RelearningItem> items = RelearningItems.forget(bench, 10);
        assertEquals(bench.forget(10).size(), items.size());
        assertTrue(RelearningItems.keyed(items));
        RelearningItem birth = items.stream().filter(i -> i.question().startsWith("Where was")
                || i.question().startsWith("In which city was") || i.question().startsWith("What is the birthplace"))
                .findFirst().orElseThrow();
        assertTrue(birth.answer().contains(birth.key()) && !birth.answer().equals(birth.key()), birth.toString());
        assertTrue(items.stream().anyMatch(i -> !i.axioms().isEmpty()), "language questions have axioms");
        assertTrue(items.stream().anyMatch(i -> i.aliasDefinition() != null));
        assertEquals("forget10/3", items.get(3).id());
        HintBuilder hb = new HintBuilder(items, RelearningItems.retain(bench, 10), 5);
        for (RelearningItem it : items) {
            // every H3/H4 hint passes the leakage check (the builder would throw otherwise)
            hb.prompt(it, Hint.of(Hint.Kind.H3_AXIOMS));
            hb.prompt(it, Hint.of(Hint.Kind.H4_ALIAS));
            IclPrompt demos = hb.prompt(it, Hint.shots(Hint.Kind.H5_FORGET_SHOTS, 4));
            if (demos != null) {
                assertFalse(LeakageChecker.leaks(demos.context(), it.key()), "H5 demos must not state the key: " + it);
            }
        }
        // one forget author here, and all their rows but the hero and setting questions name them: the name
        // question has exactly two leak-free demos
        RelearningItem name = items.get(0);
        assertTrue(name.answer().contains(name.key()) && !name.question().contains(name.key()), name.toString());
        assertFalse(LeakageChecker.leaks(hb.prompt(name, Hint.shots(Hint.Kind.H5_FORGET_SHOTS, 2)).context(), name.key()));
        assertNull(hb.prompt(name, Hint.shots(Hint.Kind.H5_FORGET_SHOTS, 3)));
        assertTrue(items.stream().filter(i -> hb.prompt(i, Hint.shots(Hint.Kind.H5_FORGET_SHOTS, 4)) != null).count() > 10);
    }

    @Test
    void theFillerControlIsInTheWorldsVocabularyAndLengthMatched() throws IOException {
        List<RelearningItem> items = RelearningItems.forget(bench, 10);
        String filler = RelearningItems.filler(bench);
        assertNotEquals(HintBuilder.FILLER, filler, "a world gets its own filler");
        HintBuilder hb = new HintBuilder(items, List.of(), 5, filler);
        try (dev.lethe.core.text.LetheTokenizer tok = dev.lethe.core.text.LetheTokenizer.load(
                world.resolve("tokenizer.json"))) {
            for (RelearningItem it : items) {
                String h7 = hb.prompt(it, Hint.of(Hint.Kind.H7_FILLER)).context();
                assertTrue(Math.abs(h7.length() - it.passage().length()) <= 16, h7.length() + " vs " + it.passage());
                for (int id : tok.encode(h7)) {
                    assertNotEquals(tok.unkId(), id, "unknown word in H7: " + h7);
                }
                assertFalse(LeakageChecker.leaks(h7, it.key()));
            }
            // the passkey filler would be mostly unknown words here: the control would not be a context at all
            long unknown = java.util.Arrays.stream(tok.encode(HintBuilder.FILLER)).filter(i -> i == tok.unkId()).count();
            assertTrue(unknown > 3, "passkey filler unknowns: " + unknown);
        }
    }

    @Test
    void plainTofuFilesGiveAnswersAsPassagesAndKeys() throws IOException {
        Path plain = tmp.resolve("plain");
        Files.createDirectories(plain);
        try (var s = Files.list(world)) {
            for (Path f : s.filter(f -> !f.getFileName().toString().equals(WorldWriter.MANIFEST_FILE)).toList()) {
                Files.copy(f, plain.resolve(f.getFileName()));
            }
        }
        List<RelearningItem> items = RelearningItems.forget(TofuBenchmark.load(plain), 10);
        assertFalse(RelearningItems.keyed(items));
        RelearningItem first = items.get(0);
        assertEquals(first.answer(), first.key());
        assertEquals(first.answer(), first.passage());
        assertEquals(bench.forgetPerturbed(10).get(0).paraphrasedAnswer(), first.paraphrase());
        assertTrue(first.axioms().isEmpty());
        assertNull(first.aliasDefinition());
    }

    @Test
    void aWorldManifestThatDoesNotRegenerateTheFilesIsRejected() throws IOException {
        Path other = tmp.resolve("other");
        Files.createDirectories(other);
        try (var s = Files.list(world)) {
            for (Path f : s.toList()) {
                Files.copy(f, other.resolve(f.getFileName()));
            }
        }
        Path manifest = other.resolve(WorldWriter.MANIFEST_FILE);
        Files.writeString(manifest, Files.readString(manifest).replace("\"seed\" : 3", "\"seed\" : 4"));
        IOException e = assertThrows(IOException.class, () -> RelearningItems.forget(TofuBenchmark.load(other), 10));
        assertTrue(e.getMessage().contains("does not regenerate"), e.getMessage());
    }

    @Test
    void sampleIsSeededSortedAndCapped() {
        List<RelearningItem> items = RelearningItems.retain(bench, 10);
        List<RelearningItem> a = RelearningItems.sample(items, 7, 1);
        assertEquals(a, RelearningItems.sample(items, 7, 1));
        assertNotEquals(a, RelearningItems.sample(items, 7, 2));
        assertEquals(7, a.size());
        for (int i = 1; i < a.size(); i++) {
            assertTrue(items.indexOf(a.get(i - 1)) < items.indexOf(a.get(i)), "kept in split order");
        }
        assertEquals(items, RelearningItems.sample(items, items.size() + 5, 1));
    }

    @Test
    void aModelAnswersWithTheContextBeforeTheQuestionAndSkipsWhatDoesNotFit() throws IOException {
        try (NDManager m = NDManager.newBaseManager(); LetheTokenizer tok = LetheTokenizer.load(world)) {
            DecoderConfig cfg = DecoderConfig.llama(tok.vocabSize(), 32, 64, 1, 4, 2, 64)
                    .withTokens(tok.vocabSize(), tok.bosId(), tok.eosId(), tok.padId());
            try (Decoder d = Decoder.random(cfg, m, 3)) {
                Generator g = Generator.builder().optMaxNewTokens(8).build();
                GeneratingAnswerer qa = new GeneratingAnswerer(d, QaEncoder.of(tok, ChatTemplate.QA), g);
                IclPrompt p = new IclPrompt("Ada was born in Lisbon, Portugal.", "Where was Ada born?");
                // qa: the context is a document before the question, not inside "Question: "
                assertArrayEquals(tok.encodeWithBos("Ada was born in Lisbon, Portugal.\n\nQuestion: Where was Ada born?\nAnswer: "),
                        qa.encode(p));
                GeneratingAnswerer chat = new GeneratingAnswerer(d, QaEncoder.of(tok, ChatTemplate.LLAMA2), g);
                assertArrayEquals(tok.encodeWithBos("[INST] Ada was born in Lisbon, Portugal.\n\nWhere was Ada born? [/INST]"),
                        chat.encode(p));
                assertArrayEquals(qa.encode(new IclPrompt("", "Where was Ada born?")),
                        tok.encodeWithBos("Question: Where was Ada born?\nAnswer: "));
                // 64 positions: prompt + 8 new tokens must fit
                assertTrue(qa.fits(p));
                IclPrompt huge = new IclPrompt(HintBuilder.filler(400), "Where was Ada born?");
                assertFalse(qa.fits(huge));
                Answerer wrapped = new Answerer() {
                    @Override
                    public List<String> answer(List<IclPrompt> prompts) {
                        return qa.answer(prompts);
                    }

                    @Override
                    public boolean fits(IclPrompt prompt) {
                        return qa.fits(prompt);
                    }
                };
                List<RelearningItem> items = List.of(
                        new RelearningItem("a", "Where was Ada born?", "Ada was born in Lisbon, Portugal.", "Lisbon",
                                "Ada was born in Lisbon, Portugal.", null, List.of(), null, null),
                        new RelearningItem("b", "Where was Bo born?", "Bo was born in Oslo.", "Oslo",
                                HintBuilder.filler(400), null, List.of(), null, null));
                InContextRelearningAttack att = new InContextRelearningAttack(new HintBuilder(items, List.of(), 1),
                        Correctness.CONTAINS, 1);
                ConditionScores s = att.score(wrapped, items, List.of(Hint.of(Hint.Kind.H0_NONE),
                        Hint.of(Hint.Kind.H1_PASSAGE)));
                assertEquals(2, s.covered(Hint.of(Hint.Kind.H0_NONE)));
                assertEquals(1, s.covered(Hint.of(Hint.Kind.H1_PASSAGE)), "the 400-char passage does not fit");
                assertEquals(1, s.tooLong().get(Hint.of(Hint.Kind.H1_PASSAGE)));
                assertTrue(Double.isNaN(s.get(Hint.of(Hint.Kind.H1_PASSAGE))[1]));
                // greedy: the same scores again
                assertArrayEquals(s.get(Hint.of(Hint.Kind.H1_PASSAGE)), att.score(wrapped, items,
                        List.of(Hint.of(Hint.Kind.H0_NONE), Hint.of(Hint.Kind.H1_PASSAGE))).get(Hint.of(Hint.Kind.H1_PASSAGE)));
            }
        }
    }

    @Test
    void reportJsonHasEveryStatisticAndNullsForUndefinedOnes() {
        List<RelearningItem> items = List.of(RelearningItem.qa("a", "q1", "x"), RelearningItem.qa("b", "q2", "y"),
                RelearningItem.qa("c", "q3", "z"), RelearningItem.qa("d", "q4", "w"));
        Hint h0 = Hint.of(Hint.Kind.H0_NONE);
        Hint h1 = Hint.of(Hint.Kind.H1_PASSAGE);
        Hint k1 = Hint.shots(Hint.Kind.H5_FORGET_SHOTS, 1);
        Hint k2 = Hint.shots(Hint.Kind.H5_FORGET_SHOTS, 2);
        RelearningSetup setup = new RelearningSetup(items, items, List.of(), List.of(h0, h1, k1, k2), "contains",
                ChatTemplate.QA, 8, 4, 3);
        ConditionScores unl = new ConditionScores(java.util.Map.of(h0, new double[] {0, 0, 1, 0},
                h1, new double[] {1, 0, 1, Double.NaN}, k1, new double[] {0, 0, 1, 0}, k2, new double[] {1, 1, 1, 0}),
                java.util.Map.of(h1, 1));
        ConditionScores orig = new ConditionScores(java.util.Map.of(h0, new double[] {1, 1, 1, 0}));
        RelearningReport r = new RelearningReport(setup, unl, orig, null);
        JsonNode j = r.toJson();
        assertEquals(4, j.get("items").asInt());
        JsonNode c1 = condition(j, "H1");
        assertEquals(3, c1.get("items").asInt());
        assertEquals(1, c1.get("too_long").asInt());
        assertEquals(1.0 / 3, c1.get("lift").get("value").asDouble(), 1e-12);          // (1 + 0 + 0) / 3
        assertEquals(0.5, c1.get("recovery").get("rho").get("value").asDouble(), 1e-12); // 1 / 2 over items a, b, c
        assertEquals(2.0 / 3, c1.get("recovery").get("denominator").asDouble(), 1e-12);
        assertTrue(c1.get("excess").isNull(), "no oracle, no E");
        assertTrue(c1.get("accuracy").get("oracle").isNull());
        assertTrue(c1.get("accuracy").get("original").isNull(), "the original model ran H0 only");
        assertEquals(2.0 / 3, c1.get("accuracy").get("unlearned").get("value").asDouble(), 1e-12);
        assertEquals(0.75, condition(j, "H0").get("accuracy").get("original").get("value").asDouble(), 1e-12);
        assertEquals(2, j.get("many_shot").get("k50").asInt());                      // ρ(1) = 0, ρ(2) = 1
        assertEquals(0.5, j.get("many_shot").get("area_over_log2_shots").asDouble(), 1e-12);
        assertTrue(j.get("scores").get("unlearned").get("H1").get(3).isNull(), "NaN is null in JSON");
        String table = r.toTable();
        assertTrue(table.contains("H5(2)") && table.contains("k50 = 2"), table);
        assertEquals(Hint.shots(Hint.Kind.H6_RETAIN_SHOTS, 16), Hint.parse("H6(16)"));
        assertEquals(h1, Hint.parse(h1.label()));
        assertEquals(List.of(h0, k1, k2), Hint.grid(List.of(Hint.Kind.H0_NONE, Hint.Kind.H5_FORGET_SHOTS), List.of(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> Hint.kind("H9"));
        assertTrue(Arrays.asList(Hint.Kind.values()).contains(Hint.kind("h3")));
    }

    private static JsonNode condition(JsonNode report, String label) {
        for (JsonNode c : report.get("conditions")) {
            if (c.get("hint").asText().equals(label)) {
                return c;
            }
        }
        throw new AssertionError("no condition " + label);
    }
}

package dev.lethe.datasets.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.core.text.LetheTokenizer;
import dev.lethe.datasets.tofu.MultipleChoiceItem;
import dev.lethe.datasets.tofu.PerturbedQaItem;
import dev.lethe.datasets.tofu.QaItem;
import dev.lethe.datasets.tofu.TofuBenchmark;
import dev.lethe.datasets.tofu.TofuSplits;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SynthWorldTest {

    static final WorldSpec SPEC = WorldSpec.of(30, 7);

    @TempDir
    static Path tmp;
    static Path dir;
    static WorldSummary summary;
    static TofuBenchmark bench;
    static World world;

    @BeforeAll
    static void generate() throws IOException {
        dir = tmp.resolve("world");
        summary = WorldWriter.write(dir, SPEC);
        bench = TofuBenchmark.load(dir);
        world = WorldGenerator.generate(SPEC);
    }

    @Test
    void deterministicForSeedAndSize() {
        Map<String, String> a = WorldWriter.render(SPEC);
        Map<String, String> b = WorldWriter.render(WorldSpec.of(30, 7));
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, v) -> assertEquals(v, b.get(k), k));
        Map<String, String> c = WorldWriter.render(WorldSpec.of(30, 8));
        assertNotEquals(a.get("full.json"), c.get("full.json"));
    }

    @Test
    void writtenFilesAreTheRenderedBytes() throws IOException {
        for (Map.Entry<String, String> e : WorldWriter.render(SPEC).entrySet()) {
            assertEquals(e.getValue(), Files.readString(dir.resolve(e.getKey())), e.getKey());
        }
    }

    @Test
    void tofuLayoutAndCounts() {
        assertEquals(TofuSplits.names(), bench.splitNames());
        List<QaItem> full = bench.full();
        assertEquals(600, full.size());
        assertEquals(20, bench.forget(1).size());   // round(0.3) -> at least one author
        assertEquals(40, bench.forget(5).size());   // round(1.5) = 2 authors
        assertEquals(60, bench.forget(10).size());  // 3 authors
        assertEquals(600 - 60, bench.retainForForget(10).size());
        assertEquals(60, bench.holdout(10).size());
        assertEquals(20, bench.holdout(1).size());
        for (int p : TofuSplits.FORGET_PERCENTS) {
            List<QaItem> f = bench.forget(p);
            List<PerturbedQaItem> fp = bench.forgetPerturbed(p);
            for (int i = 0; i < f.size(); i++) {
                assertEquals(full.get(full.size() - f.size() + i).answer(), f.get(i).answer());
                assertEquals(f.get(i).question(), fp.get(i).question());
                assertEquals(5, fp.get(i).perturbedAnswers().size());
            }
        }
        List<PerturbedQaItem> rp = bench.retainPerturbed();
        assertEquals(400, rp.size()); // min(20 authors, 30 - 3) = 20 authors
        assertEquals(full.get(0).answer(), rp.get(0).answer());
        assertEquals(100, bench.realAuthors().size());
        assertEquals(117, bench.worldFacts().size());
        bench.realAuthorsPerturbed().forEach(it -> assertEquals(3, it.perturbedAnswers().size()));
        bench.worldFactsPerturbed().forEach(it -> assertEquals(3, it.perturbedAnswers().size()));
        assertEquals(100, bench.idk().size());
        assertEquals(600, summary.counts().get("full"));
        assertTrue(summary.toTable().contains("forget10"));
    }

    @Test
    void retainPerturbedIsCappedAt400Items() {
        assertEquals(20, WorldSpec.defaults().retainPerturbedAuthors());
        assertEquals(20, WorldSpec.defaults().forgetAuthors(10));
        assertEquals(2, WorldSpec.defaults().forgetAuthors(1));
        assertEquals(11, WorldSpec.of(12, 1).retainPerturbedAuthors()); // never overlaps forget10
    }

    @Test
    void noAuthorStringLeaksIntoAnotherAuthorsItems() {
        List<Author> all = new ArrayList<>(world.authors());
        all.addAll(world.holdout());
        List<List<SynthQa>> rows = new ArrayList<>();
        for (int i = 0; i < world.authors().size(); i++) {
            rows.add(world.rowsOf(i));
        }
        for (int i = 0; i < world.holdout().size(); i++) {
            rows.add(world.holdoutRows().subList(i * 20, (i + 1) * 20));
        }
        Set<String> answers = new HashSet<>();
        for (int a = 0; a < all.size(); a++) {
            List<String> own = List.of(all.get(a).name(), all.get(a).facts().get("book1"), all.get(a).facts().get("book2"));
            for (int b = 0; b < all.size(); b++) {
                if (a == b) {
                    continue;
                }
                for (SynthQa q : rows.get(b)) {
                    String text = String.join(" | ", q.question(), q.answer(), q.paraphrasedQuestion(),
                            q.paraphrasedAnswer(), String.join(" | ", q.perturbedAnswers()));
                    for (String s : own) {
                        assertFalse(text.contains(s), s + " of author " + a + " appears in author " + b + ": " + text);
                    }
                }
            }
            for (SynthQa q : rows.get(a)) {
                assertTrue(answers.add(q.answer()), "duplicate answer " + q.answer());
            }
        }
        // the fictitious authors are unknown to the pretraining corpus
        for (Author a : all) {
            for (String doc : world.pretrain()) {
                assertFalse(doc.contains(a.name()), a.name());
            }
        }
    }

    @Test
    void perturbedAnswersDifferFromTheParaphraseAndEachOther() {
        for (SynthQa q : world.fullRows()) {
            assertEquals(5, new HashSet<>(q.perturbedAnswers()).size(), q.toString());
            assertFalse(q.perturbedAnswers().contains(q.paraphrasedAnswer()));
            assertFalse(q.perturbedAnswers().contains(q.answer()));
            assertNotEquals(q.question(), q.paraphrasedQuestion());
            assertNotEquals(q.answer(), q.paraphrasedAnswer());
            assertFalse(q.answer().contains("'"), "no apostrophes: " + q.answer());
        }
    }

    @Test
    void forgetRetainAndHoldoutAuthorsAreDisjoint() throws IOException {
        JsonNode ents = new ObjectMapper().readTree(dir.resolve(WorldWriter.ENTITIES_FILE).toFile());
        assertEquals(33, ents.size());
        Set<String> forget = names(ents, 27, 30);
        Set<String> retain = names(ents, 0, 27);
        Set<String> holdout = names(ents, 30, 33);
        assertEquals(3, forget.size());
        assertEquals(27, retain.size());
        assertEquals(3, holdout.size());
        Set<String> union = new HashSet<>(forget);
        union.addAll(retain);
        union.addAll(holdout);
        assertEquals(33, union.size());
        // and the split files agree: forget items name forget authors only, holdout items holdout authors only
        for (QaItem q : bench.forget(10)) {
            assertTrue(forget.stream().anyMatch(n -> q.answer().contains(n) || q.question().contains(n)
                    || q.answer().contains("\"") || q.question().contains("\"")), q.toString());
        }
        for (QaItem q : bench.retainForForget(10)) {
            assertTrue(forget.stream().noneMatch(n -> q.answer().contains(n) || q.question().contains(n)));
        }
        for (QaItem q : bench.full()) {
            assertTrue(holdout.stream().noneMatch(n -> q.answer().contains(n) || q.question().contains(n)));
        }
        assertEquals("holdout", ents.get(30).get("split").asText());
        assertTrue(ents.get(0).get("entities").size() >= 8);
    }

    private static Set<String> names(JsonNode ents, int from, int to) {
        Set<String> s = new HashSet<>();
        for (int i = from; i < to; i++) {
            s.add(ents.get(i).get("name").asText());
        }
        return s;
    }

    @Test
    void multipleChoiceFactsAreInThePretrainingCorpus() {
        String corpus = String.join("\n", world.pretrain());
        for (MultipleChoiceItem m : bench.realAuthors()) {
            assertTrue(corpus.contains(m.answer()), m.answer());
            assertEquals(4, new HashSet<>(m.options()).size());
        }
        for (MultipleChoiceItem m : bench.worldFacts()) {
            assertTrue(corpus.contains(m.answer()), m.answer());
        }
    }

    @Test
    void tokenizerCoversTheWorldWithASmallVocabulary() throws IOException {
        try (LetheTokenizer t = LetheTokenizer.load(dir)) {
            assertTrue(t.vocabSize() < 3000, "vocab " + t.vocabSize());
            List<String> texts = new ArrayList<>();
            bench.forgetPerturbed(10).forEach(q -> {
                texts.add(q.question());
                texts.add(q.paraphrasedAnswer());
                texts.addAll(q.perturbedAnswers());
            });
            texts.addAll(bench.idk());
            texts.add("Question: x\nAnswer: y");
            texts.add("[INST] x [/INST]y");
            for (String s : texts) {
                for (int id : t.encode(s)) {
                    assertNotEquals(t.unkId(), id, s);
                }
            }
            String a = bench.full().get(5).answer();
            assertEquals(a.replaceAll("\\s+", " "), t.decode(t.encode(a), true).replace("\" ", "\"")
                    .replaceAll(" \"([.,?!])", "\"$1").replace(" / ", "/"), a);
        }
    }

    @Test
    void uldAugmentationIsAlignedInVocabularyAndNeverAnEvaluatedText() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(dir.resolve(WorldWriter.ULD_AUGMENT_FILE));
        List<QaItem> full = bench.full();
        assertEquals(full.size(), lines.size());
        List<PerturbedQaItem> forget = bench.forgetPerturbed(10);
        int offset = full.size() - forget.size();
        try (LetheTokenizer t = LetheTokenizer.load(dir)) {
            for (int i = 0; i < lines.size(); i++) {
                JsonNode row = json.readTree(lines.get(i));
                assertEquals(full.get(i).question(), row.get("question").asText(), "row " + i);
                assertEquals(full.get(i).answer(), row.get("answer").asText(), "row " + i);
                List<String> pq = strings(row.get("paraphrased_questions"));
                List<String> pa = strings(row.get("paraphrased_answers"));
                List<String> wrong = strings(row.get("perturbed_answers"));
                assertFalse(pq.isEmpty(), "row " + i);
                assertEquals(1, pa.size(), "row " + i);
                assertEquals(3, wrong.size(), "row " + i);
                assertFalse(pq.contains(full.get(i).question()), "row " + i);
                assertFalse(pa.contains(full.get(i).answer()) || wrong.contains(full.get(i).answer()), "row " + i);
                if (i >= offset) {
                    // the truth ratio scores the paraphrased and perturbed answers: ULD must not train on them
                    PerturbedQaItem evaluated = forget.get(i - offset);
                    assertFalse(pa.contains(evaluated.paraphrasedAnswer()), "row " + i);
                    for (String w : wrong) {
                        assertFalse(evaluated.perturbedAnswers().contains(w), "row " + i + ": " + w);
                    }
                }
                for (String s : concatAll(pq, pa, wrong)) {
                    for (int id : t.encode(s)) {
                        assertNotEquals(t.unkId(), id, s);
                    }
                }
            }
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @SafeVarargs
    private static List<String> concatAll(List<String>... lists) {
        List<String> out = new ArrayList<>();
        for (List<String> l : lists) {
            out.addAll(l);
        }
        return out;
    }

    @Test
    void worldTokenizerCarriesUtkTokens() throws IOException {
        try (LetheTokenizer t = LetheTokenizer.load(dir)) {
            dev.lethe.datasets.augment.UtkTokens u = dev.lethe.datasets.augment.UtkTokens.fromTokenizer(t);
            assertEquals(t.eosId(), u.eod());
            assertEquals(5, u.maxChunks());
            assertEquals(36, u.idAlphabet().length);
        }
    }

    @Test
    void overwritesAWorldButNotOtherDirectories(@TempDir Path other) throws IOException {
        Path target = other.resolve("w");
        WorldWriter.write(target, WorldSpec.of(5, 1));
        WorldSummary again = WorldWriter.write(target, WorldSpec.of(6, 1));
        assertEquals(120, again.counts().get("full"));
        assertEquals(120, TofuBenchmark.load(target).full().size());
        Path foreign = Files.createDirectories(other.resolve("mine"));
        Files.writeString(foreign.resolve("notes.txt"), "keep");
        assertThrows(IOException.class, () -> WorldWriter.write(foreign, WorldSpec.of(5, 1)));
        assertEquals("keep", Files.readString(foreign.resolve("notes.txt")));
        try (var s = Files.list(other)) {
            assertEquals(2, s.count(), "no temporary directories left behind");
        }
    }
}

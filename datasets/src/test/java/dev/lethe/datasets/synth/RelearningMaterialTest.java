package dev.lethe.datasets.synth;

import dev.lethe.core.text.LetheTokenizer;
import dev.lethe.datasets.tofu.PerturbedQaItem;
import dev.lethe.datasets.tofu.TofuBenchmark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relearning hint material of a synthetic world: aligned with the files, answer-bearing where it must be, leak-free where it must be. */
class RelearningMaterialTest {

    static final WorldSpec SPEC = WorldSpec.of(30, 7);

    @TempDir
    static Path tmp;
    static Path dir;
    static List<RelearningMaterial.Item> items;

    @BeforeAll
    static void generate() throws IOException {
        dir = tmp.resolve("world");
        WorldWriter.write(dir, SPEC);
        items = RelearningMaterial.forget(RelearningMaterial.spec(dir).orElseThrow(), 10);
    }

    private static String norm(String s) {
        return " " + s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").trim() + " ";
    }

    @Test
    void specIsReadBackAndOnlyFromAGeneratedWorld() throws IOException {
        assertEquals(SPEC, RelearningMaterial.spec(dir).orElseThrow());
        Files.createDirectories(tmp.resolve("plain"));
        assertTrue(RelearningMaterial.spec(tmp.resolve("plain")).isEmpty());
    }

    @Test
    void itemsAreTheForgetRowsWithTheirParaphrases() throws IOException {
        List<PerturbedQaItem> rows = TofuBenchmark.load(dir).forgetPerturbed(10);
        assertEquals(rows.size(), items.size());
        for (int i = 0; i < rows.size(); i++) {
            RelearningMaterial.Item it = items.get(i);
            assertEquals(i, it.index());
            assertEquals(rows.get(i).question(), it.question());
            assertEquals(rows.get(i).answer(), it.answer());
            assertEquals(it.answer(), it.passage(), "H1 is the training answer verbatim");
            assertEquals(rows.get(i).paraphrasedAnswer(), it.paraphrase());
        }
    }

    @Test
    void passagesStateTheKeyAndAxiomsAndAliasesDoNot() {
        int axiomItems = 0;
        int aliasItems = 0;
        for (RelearningMaterial.Item it : items) {
            String key = norm(it.key());
            assertTrue(norm(it.passage()).contains(key), it.toString());
            assertTrue(norm(it.paraphrase()).contains(key), it.toString());
            for (String a : it.axioms()) {
                assertFalse(norm(a).contains(key), it.toString());
            }
            if (!it.axioms().isEmpty()) {
                axiomItems++;
            }
            if (it.aliasDefinition() != null) {
                aliasItems++;
                assertFalse(norm(it.aliasDefinition()).contains(key), it.toString());
                assertTrue(it.aliasQuestion().contains(RelearningMaterial.ALIAS), it.toString());
                // the author's name is the key of their first row (full_name)
                String name = items.get(it.index() / WorldSpec.QA_PER_AUTHOR * WorldSpec.QA_PER_AUTHOR).key();
                assertTrue(it.question().contains(name), it.toString());
                assertFalse(it.aliasQuestion().contains(name) || it.aliasDefinition().contains(name), it.toString());
            } else {
                assertNull(it.aliasQuestion());
            }
        }
        int authors = SPEC.forgetAuthors(10);
        assertTrue(axiomItems >= authors, "at least the language question of every author: " + axiomItems);
        assertEquals(17 * authors, aliasItems, "every question that names the author but full_name");
    }

    @Test
    void languageIsEntailedByBirthCountryAndCapitalsByTheirCountry() {
        RelearningMaterial.Item lang = items.stream().filter(i -> i.question().contains("language")).findFirst()
                .orElseThrow();
        assertEquals(2, lang.axioms().size());
        assertTrue(lang.axioms().get(1).contains("main language of the country where"), lang.axioms().toString());
        assertEquals(List.of("Ada now lives in the capital of Portugal."),
                RelearningMaterial.axioms("residence", java.util.Map.of("name", "Ada", "residence", "Lisbon")));
        assertEquals(List.of(), RelearningMaterial.axioms("residence", java.util.Map.of("name", "Ada", "residence", "Porto")));
    }

    @Test
    void everyHintIsInTheWorldsVocabulary() throws IOException {
        List<String> texts = new ArrayList<>();
        for (RelearningMaterial.Item it : items) {
            texts.addAll(it.axioms());
            if (it.aliasDefinition() != null) {
                texts.add(it.aliasDefinition());
                texts.add(it.aliasQuestion());
            }
        }
        try (LetheTokenizer t = LetheTokenizer.load(dir)) {
            for (String s : texts) {
                for (int id : t.encode(s)) {
                    assertNotEquals(t.unkId(), id, s);
                }
            }
        }
    }
}

package dev.lethe.uld;

import dev.lethe.datasets.synth.WorldSpec;
import dev.lethe.datasets.synth.WorldWriter;
import dev.lethe.datasets.tofu.PerturbedQaItem;
import dev.lethe.datasets.tofu.QaItem;
import dev.lethe.datasets.tofu.TofuBenchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class UldAugmentationTest {

    static Optional<Path> realTofu() {
        for (String p : new String[] {System.getProperty("lethe.shared", ""), "../../shared", "../shared",
                "/work/shared"}) {
            if (!p.isEmpty() && Files.isRegularFile(Path.of(p, "data/tofu/forget01_perturbed.json"))) {
                return Optional.of(Path.of(p, "data/tofu"));
            }
        }
        return Optional.empty();
    }

    @Test
    void realTofuSizesMatchThePaper() throws IOException {
        Optional<Path> dir = realTofu();
        assumeTrue(dir.isPresent(), "shared TOFU data not found");
        TofuBenchmark bench = TofuBenchmark.load(dir.get());
        UldConfig c = UldConfig.reference();
        // uld.md §3.2, paper Table 5: |D'_f| = |D'_r| = 120 / 600 / 1200
        Map<Integer, Integer> sizes = Map.of(1, 120, 5, 600, 10, 1200);
        for (Map.Entry<Integer, Integer> e : sizes.entrySet()) {
            UldDataset d = UldAugmentation.fromBenchmark(bench, e.getKey(), c);
            assertEquals(e.getValue(), d.forget().size(), "D'_f of forget" + e.getKey());
            assertEquals(e.getValue(), d.retain().size(), "D'_r of forget" + e.getKey());
        }
        UldDataset d = UldAugmentation.fromBenchmark(bench, 1, c);
        Map<UldExample.Source, Integer> n = d.counts();
        assertEquals(40, n.get(UldExample.Source.FORGET));
        assertEquals(80, n.get(UldExample.Source.FORGET_PARAPHRASE));
        assertEquals(40, n.get(UldExample.Source.RETAIN));
        assertEquals(80, n.get(UldExample.Source.FORGET_PERTURBED));
        // the regular retain part is the last min(400, |D_f|) rows of retain99
        List<QaItem> retain = bench.retainForForget(1);
        assertEquals(retain.get(retain.size() - 40).question(), d.retain().get(0).question());
        assertEquals(retain.get(retain.size() - 1).answer(), d.retain().get(39).answer());
        assertEquals(400, UldAugmentation.fromBenchmark(bench, 10, c).counts().get(UldExample.Source.RETAIN));
    }

    @Test
    void pairsComeFromTheRightRowsAndAreNeverTheOriginal() throws IOException {
        Optional<Path> dir = realTofu();
        assumeTrue(dir.isPresent(), "shared TOFU data not found");
        List<PerturbedQaItem> forget = TofuBenchmark.load(dir.get()).forgetPerturbed(1);
        UldDataset d = UldAugmentation.augment(forget, List.of(), UldConfig.reference());
        for (UldExample e : d.forget()) {
            PerturbedQaItem item = forget.get(e.item());
            assertTrue(Set.of(item.question(), item.paraphrasedQuestion()).contains(e.question()));
            assertTrue(Set.of(item.answer(), item.paraphrasedAnswer()).contains(e.answer()));
            boolean original = e.question().equals(item.question()) && e.answer().equals(item.answer());
            assertEquals(e.source() == UldExample.Source.FORGET, original);
        }
        for (UldExample e : d.retain()) {
            PerturbedQaItem item = forget.get(e.item());
            assertEquals(UldExample.Source.FORGET_PERTURBED, e.source());
            assertEquals(item.question(), e.question());
            assertTrue(item.perturbedAnswers().contains(e.answer()));
            assertNotEquals(item.answer(), e.answer());
        }
    }

    @Test
    void selectionIsDeterministicAndSeeded(@TempDir Path tmp) throws IOException {
        Path world = tmp.resolve("world");
        WorldWriter.write(world, new WorldSpec(10, 7, 20, 4));
        TofuBenchmark bench = TofuBenchmark.load(world);
        UldConfig c = UldConfig.tiny();
        UldDataset a = UldAugmentation.fromBenchmark(bench, 1, c);
        UldDataset b = UldAugmentation.fromBenchmark(bench, 1, c);
        assertEquals(a, b, "same inputs and seed, same sets");
        int n = bench.forget(1).size();
        assertEquals(3 * n, a.forget().size(), "synthetic world: each item + 2 paraphrase pairs");
        assertEquals(n + 2 * n, a.retain().size(), "min(400, |D_f|) retain rows + 2 perturbed answers each");
        Set<UldDataset> seen = new HashSet<>();
        for (long seed = 0; seed < 4; seed++) {
            seen.add(UldAugmentation.fromBenchmark(bench, 1, c.toBuilder().optSeed(seed).build()));
        }
        assertTrue(seen.size() > 1, "the seed chooses among the candidate pairs");
        UldDataset none = UldAugmentation.fromBenchmark(bench, 1,
                c.toBuilder().optExpandQaNum(0).optPerturbedPerQuestion(0).optRegularRetainCap(0).build());
        assertEquals(n, none.forget().size());
        assertTrue(none.retain().isEmpty());
    }

    @Test
    void syntheticWorldTrainsOnItsOwnAugmentationNeverOnEvaluatedTexts(@TempDir Path tmp) throws IOException {
        Path world = tmp.resolve("world");
        WorldWriter.write(world, new WorldSpec(10, 7, 20, 4));
        TofuBenchmark bench = TofuBenchmark.load(world);
        List<PerturbedQaItem> forget = bench.forgetPerturbed(10);
        UldDataset d = UldAugmentation.fromBenchmark(bench, 10, UldConfig.tiny());
        assertEquals(UldAugmentation.SOURCE_WORLD, d.source());
        for (UldExample e : d.forget()) {
            PerturbedQaItem item = forget.get(e.item());
            assertNotEquals(item.paraphrasedAnswer(), e.answer(), "D'_f must not hold the evaluated paraphrase");
            if (e.source() == UldExample.Source.FORGET_PARAPHRASE) {
                assertTrue(!e.question().equals(item.question()) || !e.answer().equals(item.answer()));
            }
        }
        long perturbed = 0;
        for (UldExample e : d.retain()) {
            if (e.source() == UldExample.Source.FORGET_PERTURBED) {
                PerturbedQaItem item = forget.get(e.item());
                assertEquals(item.question(), e.question());
                assertNotEquals(item.answer(), e.answer());
                assertTrue(!item.perturbedAnswers().contains(e.answer()), "evaluated perturbation in D'_r");
                perturbed++;
            }
        }
        assertEquals(2L * forget.size(), perturbed);
        // a generated world without the file (an older Lethe's) is refused, never trained on the evaluated texts
        Files.delete(world.resolve(UldAugmentation.WORLD_FILE));
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> UldAugmentation.fromBenchmark(TofuBenchmark.load(world), 10, UldConfig.tiny()));
        assertTrue(e.getMessage().contains("regenerate"), e.getMessage());
        // plain TOFU files (no world manifest) use their own fields, and the run says so
        Files.delete(world.resolve(WorldWriter.MANIFEST_FILE));
        assertEquals(UldAugmentation.SOURCE_TOFU_FIELDS,
                UldAugmentation.fromBenchmark(TofuBenchmark.load(world), 10, UldConfig.tiny()).source());
    }

    @Test
    void malformedAugmentationFileNamesFileAndLine(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve(UldAugmentation.WORLD_FILE);
        Files.writeString(f, "{\"question\": \"q\", \"answer\": \"a\", \"paraphrased_questions\": [],"
                + " \"paraphrased_answers\": [], \"perturbed_answers\": []}\n{\"question\": \"q2\", \"answer\": 3}\n");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> UldAugmentation.readWorldFile(f));
        assertTrue(e.getMessage().contains(f + ":2") && e.getMessage().contains("\"answer\""), e.getMessage());
    }

    @Test
    void pickKeepsCandidateOrderAndReturnsAllWhenTooFew() {
        List<Integer> all = List.of(1, 2, 3, 4, 5);
        List<Integer> two = UldAugmentation.pick(all, 2, 7, 0);
        assertEquals(2, two.size());
        assertTrue(two.get(0) < two.get(1));
        assertEquals(two, UldAugmentation.pick(all, 2, 7, 0));
        assertEquals(all, UldAugmentation.pick(all, 9, 7, 0));
        PerturbedQaItem noParaphrase = new PerturbedQaItem(0, "q", "a", null, null, List.of("w", "a", "w"));
        assertTrue(UldAugmentation.paraphrasePairs(UldAugmentation.Texts.of(noParaphrase)).isEmpty());
        assertEquals(List.of("w"), UldAugmentation.wrongAnswers(noParaphrase));
    }
}

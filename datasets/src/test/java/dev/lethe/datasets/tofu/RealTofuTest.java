package dev.lethe.datasets.tofu;

import dev.lethe.datasets.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The loader against the real copy in shared/data/tofu (tofu-eval §1.2). */
class RealTofuTest {

    static TofuBenchmark tofu;

    @BeforeAll
    static void load() throws Exception {
        Path dir = SharedData.tofuDir().orElse(null);
        assumeTrue(dir != null, "shared/data/tofu not found");
        tofu = TofuBenchmark.load(dir);
    }

    @Test
    void everyFileIsPresentWithTofuCounts() {
        assertEquals(TofuSplits.names(), tofu.splitNames());
        assertEquals(4000, tofu.full().size());
        int[] forget = {40, 200, 400};
        for (int i = 0; i < 3; i++) {
            int p = TofuSplits.FORGET_PERCENTS.get(i);
            assertEquals(forget[i], tofu.forget(p).size());
            assertEquals(forget[i], tofu.forgetPerturbed(p).size());
            assertEquals(forget[i], tofu.holdout(p).size());
            assertEquals(4000 - forget[i], tofu.retainForForget(p).size());
        }
        assertEquals(400, tofu.retainPerturbed().size());
        assertEquals(100, tofu.realAuthors().size());
        assertEquals(100, tofu.realAuthorsPerturbed().size());
        assertEquals(117, tofu.worldFacts().size());
        assertEquals(117, tofu.worldFactsPerturbed().size());
        assertEquals(100, tofu.idk().size());
    }

    @Test
    void forgetIsTheTailAndRetainTheHeadOfFull() {
        List<QaItem> full = tofu.full();
        for (int p : TofuSplits.FORGET_PERCENTS) {
            List<QaItem> f = tofu.forget(p);
            int start = full.size() - f.size();
            for (int i = 0; i < f.size(); i++) {
                assertEquals(full.get(start + i).question(), f.get(i).question());
                assertEquals(full.get(start + i).answer(), f.get(i).answer());
                assertEquals(i, f.get(i).index());
                assertEquals(f.get(i).answer(), tofu.forgetPerturbed(p).get(i).answer());
            }
            List<QaItem> r = tofu.retainForForget(p);
            for (int i = 0; i < r.size(); i++) {
                assertEquals(full.get(i).answer(), r.get(i).answer());
            }
        }
        List<PerturbedQaItem> rp = tofu.retainPerturbed();
        for (int i = 0; i < rp.size(); i++) {
            assertEquals(full.get(i).question(), rp.get(i).question());
        }
    }

    @Test
    void perturbedAnswerCounts() {
        for (int p : TofuSplits.FORGET_PERCENTS) {
            tofu.forgetPerturbed(p).forEach(it -> assertEquals(5, it.perturbedAnswers().size()));
        }
        tofu.retainPerturbed().forEach(it -> {
            assertEquals(5, it.perturbedAnswers().size());
            assertEquals(it.paraphrasedAnswer(), it.truthRatioAnswer());
        });
        tofu.realAuthorsPerturbed().forEach(it -> {
            assertEquals(3, it.perturbedAnswers().size());
            assertNull(it.paraphrasedAnswer());
            assertEquals(it.answer(), it.truthRatioAnswer());
        });
        tofu.worldFactsPerturbed().forEach(it -> assertEquals(3, it.perturbedAnswers().size()));
        tofu.realAuthors().forEach(it -> {
            assertEquals(4, it.options().size());
            assertTrue(it.correctOption() >= 0);
            assertEquals(3, it.wrongOptions().size());
        });
    }
}

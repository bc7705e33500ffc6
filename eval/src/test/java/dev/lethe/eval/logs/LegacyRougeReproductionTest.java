package dev.lethe.eval.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lethe.eval.SharedData;
import dev.lethe.eval.metrics.Rouge;
import dev.lethe.eval.metrics.RougeScores;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Acceptance: rescoring the (ground truth, generation) strings of the published TF logs with the Java
 * ROUGE reproduces every logged rouge1_recall and rougeL_recall (computed there by rouge_score + NLTK).
 */
class LegacyRougeReproductionTest {

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({"llama2-7b, full", "llama2-7b, retain90", "phi, full", "phi, retain90"})
    void javaRougeMatchesLoggedScores(String model, String run) {
        LegacyLog log = LegacyLog.read(SharedData.referenceLog(model, run));
        Rouge rouge = new Rouge();
        List<String> bad = new ArrayList<>();
        int n = 0;
        for (LegacySplitLog split : log.splits().values()) {
            for (LegacyItem it : split.items()) {
                n++;
                RougeScores s = rouge.score(it.groundTruth(), it.generation());
                if (Math.abs(s.rougeL().recall() - it.rougeLRecall()) > 1e-12
                        || Math.abs(s.rouge1().recall() - it.rouge1Recall()) > 1e-12) {
                    bad.add(split.task().fileName() + "[" + it.key() + "] logged R1=" + it.rouge1Recall() + " RL="
                            + it.rougeLRecall() + " java R1=" + s.rouge1().recall() + " RL=" + s.rougeL().recall());
                }
            }
        }
        assertEquals(4, log.splits().size());
        assertTrue(n >= 817, "items: " + n);
        assertEquals(List.of(), bad.subList(0, Math.min(10, bad.size())), bad.size() + " of " + n + " items differ");
    }
}

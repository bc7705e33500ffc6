package dev.lethe.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RougeTest {

    private final Rouge rouge = new Rouge();

    @Test
    void tokenizerLowercasesSplitsOnNonAlphanumericAndStemsLongTokens() {
        assertEquals(List.of("the", "author", "s", "name", "is", "hsiao", "yun", "hwa"),
                RougeTokenizer.stemming().tokenize("The author's name is Hsiao Yun-Hwa."));
        // "running" (7 chars) is stemmed, "ran" (3 chars) is not; accented letters split words.
        assertEquals(List.of("run", "ran", "caf", "ol"), RougeTokenizer.stemming().tokenize("RUNNING ran Café-olé"));
        assertEquals(List.of(), RougeTokenizer.stemming().tokenize("  ...  "));
    }

    @Test
    void lcsRecallPrecisionF1ByHand() {
        // target [the cat sat on the mat], prediction [the cat on mat]: LCS = 4.
        RougeScores s = rouge.score("The cat sat on the mat.", "the cat on mat");
        assertEquals(4.0 / 6, s.rougeL().recall(), 1e-15);
        assertEquals(1.0, s.rougeL().precision(), 1e-15);
        assertEquals(0.8, s.rougeL().f1(), 1e-15);
        // unigram overlap: the=min(2,1), cat, on, mat -> 4 of 6.
        assertEquals(4.0 / 6, s.rouge1().recall(), 1e-15);
    }

    @Test
    void orderMattersForLcsButNotForRouge1() {
        RougeScores s = rouge.score("alpha beta gamma delta", "delta gamma beta alpha");
        assertEquals(1.0, s.rouge1().recall(), 0);
        assertEquals(0.25, s.rougeL().recall(), 0);
    }

    @Test
    void stemmingMakesInflectionsMatch() {
        // writes->write vs wrote->wrote differ; novels->novel matches novel: LCS = she, novel = 2/3
        assertEquals(2.0 / 3, rouge.rougeLRecall("She writes novels", "she wrote novel"), 1e-15);
    }

    @Test
    void emptySidesScoreZero() {
        assertEquals(RougeScore.ZERO, rouge.score("", "anything").rougeL());
        assertEquals(RougeScore.ZERO, rouge.score("something", "!!!").rougeL());
        assertEquals(0.0, rouge.score("", "x").rouge1().recall());
    }

    @Test
    void lcsLength() {
        assertEquals(3, Rouge.lcsLength(List.of("a", "b", "c", "d"), List.of("b", "x", "c", "d")));
        assertEquals(0, Rouge.lcsLength(List.of(), List.of("a")));
    }
}

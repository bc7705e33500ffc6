package dev.lethe.datasets.tofu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Malformed files fail with file:line messages; nothing is dropped silently. */
class TofuReaderValidationTest {

    @TempDir
    Path dir;

    static String qa(int i) {
        return "{\"question\": \"Q" + i + "?\", \"answer\": \"A" + i + ".\"}";
    }

    static String perturbed(int i) {
        return "{\"question\": \"Q" + i + "?\", \"answer\": \"A" + i + ".\", \"paraphrased_answer\": \"P" + i
                + ".\", \"perturbed_answer\": [\"W1.\", \"W2.\"], \"paraphrased_question\": \"PQ" + i + "?\"}";
    }

    private Path write(String name, List<String> lines) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, lines);
        return f;
    }

    private TofuFormatException fails(Path file, String split) {
        return assertThrows(TofuFormatException.class, () -> TofuReader.read(file, split));
    }

    @Test
    void badJsonOnLine7() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lines.add(i == 6 ? "{\"question\": \"Q?\", \"answer\": \"A\"" : qa(i));
        }
        Path f = write("full.json", lines);
        TofuFormatException e = fails(f, "full");
        assertEquals(7, e.line());
        assertTrue(e.getMessage().startsWith(f + ":7: malformed JSON"), e.getMessage());
    }

    @Test
    void missingAnswer() throws Exception {
        Path f = write("forget01.json", List.of(qa(0), qa(1), "{\"question\": \"Q2?\"}", qa(3)));
        TofuFormatException e = fails(f, "forget01");
        assertEquals(3, e.line());
        assertTrue(e.getMessage().endsWith(":3: missing field 'answer'"), e.getMessage());
    }

    @Test
    void perturbedAnswerNotAList() throws Exception {
        Path f = write("forget01_perturbed.json", List.of(perturbed(0), perturbed(1).replace(
                "[\"W1.\", \"W2.\"]", "\"W1.\"")));
        TofuFormatException e = fails(f, "forget01_perturbed");
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("'perturbed_answer' must be a list of strings, got string"), e.getMessage());
    }

    @Test
    void wrongTypeEmptyAnswerAndMissingParaphrase() throws Exception {
        Path f1 = write("a.json", List.of(qa(0), "{\"question\": \"Q?\", \"answer\": 42}"));
        assertTrue(fails(f1, "full").getMessage().endsWith(":2: field 'answer' must be a string, got number"));
        Path f2 = write("b.json", List.of("", qa(0), "{\"question\": \"Q?\", \"answer\": \"  \"}"));
        assertTrue(fails(f2, "holdout05").getMessage().endsWith(":3: field 'answer' is empty"));
        Path f3 = write("c.json", List.of("{\"question\": \"Q?\", \"answer\": \"A\", \"perturbed_answer\": [\"B\"]}"));
        assertTrue(fails(f3, "retain_perturbed").getMessage().endsWith(":1: missing field 'paraphrased_question'"));
        // …which real_authors_perturbed does not need
        assertEquals(1, TofuReader.read(f3, "real_authors_perturbed").size());
        Path f4 = write("d.json", List.of(perturbed(0).replace("[\"W1.\", \"W2.\"]", "[\"W1.\", 3]")));
        assertTrue(fails(f4, "forget05_perturbed").getMessage().contains("'perturbed_answer'[1] must be a non-empty string"));
        Path f5 = write("e.json", List.of("[1, 2]"));
        assertTrue(fails(f5, "full").getMessage().contains("expected a JSON object"));
        Path f6 = write("f.json", List.of(qa(0) + " {}"));
        assertTrue(fails(f6, "full").getMessage().startsWith(f6 + ":1: malformed JSON"));
    }

    @Test
    void multipleChoiceAnswerMustBeAnOption() throws Exception {
        String ok = "{\"question\": \"Q?\", \"option1\": \"a\", \"option2\": \"b\", \"option3\": \"c\", "
                + "\"option4\": \"d\", \"answer\": \"c\"}";
        Path f = write("real_authors.json", List.of(ok, ok.replace("\"answer\": \"c\"", "\"answer\": \"e\"")));
        assertTrue(fails(f, "real_authors").getMessage().endsWith(":2: answer 'e' is not one of the options"));
        List<MultipleChoiceItem> one = TofuReader.readMultipleChoice(write("ok.json", List.of(ok)));
        assertEquals(2, one.get(0).correctOption());
    }

    @Test
    void unknownSplitIsAnError() throws Exception {
        Path f = write("forget02.json", List.of(qa(0)));
        assertTrue(fails(f, "forget02").getMessage().contains("unknown TOFU split 'forget02'"));
        Files.write(dir.resolve("full.json"), List.of(qa(0)));
        TofuBenchmark b = TofuBenchmark.load(dir);
        assertThrows(IllegalArgumentException.class, () -> b.split("forget02"));
        IllegalArgumentException absent = assertThrows(IllegalArgumentException.class, () -> b.forget(10));
        assertTrue(absent.getMessage().contains("forget10.json"));
        assertThrows(IllegalArgumentException.class, () -> b.perturbed("full"));
    }

    @Test
    void jsonArrayIsAcceptedWithLineNumbers() throws Exception {
        Path f = write("full.json", List.of("[", qa(0) + ",", qa(1) + ",", "{\"question\": \"Q\"}", "]"));
        TofuFormatException e = fails(f, "full");
        assertEquals(4, e.line(), e.getMessage());
        Path g = write("retain99.json", List.of("[", qa(0) + ",", qa(1), "]"));
        List<QaItem> rows = TofuReader.readQa(g);
        assertEquals(List.of(new QaItem(0, "Q0?", "A0."), new QaItem(1, "Q1?", "A1.")), rows);
        Path h = write("holdout01.json", List.of("[", qa(0) + ",", "{\"question\": \"Q\", ", "]"));
        assertTrue(fails(h, "holdout01").line() >= 3);
    }

    @Test
    void idkReadsPlainAndQuotedLines() throws Exception {
        Path f = write("idontknow.jsonl", List.of("I don't know.", "", "\"Not sure, sorry.\""));
        assertEquals(List.of("I don't know.", "Not sure, sorry."), TofuReader.readIdk(f));
    }
}

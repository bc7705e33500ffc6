package dev.lethe.eval.attacks;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec §4.3 tests 1 and 2, and the key/leakage rules of the hint builder. */
class InContextRelearningAttackTest {

    private static final String[] CITIES = {"Lisbon", "Oslo", "Quito", "Hanoi", "Dakar", "Perth"};

    private static List<RelearningItem> forget() {
        List<RelearningItem> out = new ArrayList<>();
        for (int i = 0; i < CITIES.length; i++) {
            String name = "Person" + i;
            out.add(new RelearningItem("f" + i, "Where was " + name + " born?", CITIES[i],
                    name + " was born in " + CITIES[i] + " in 1970.",
                    "In 1970, " + CITIES[i] + " saw the birth of " + name + ".",
                    List.of(name + "'s birthplace is the capital of country #" + i + ".", "Country #" + i + " exists."),
                    "Let Zork be " + name + ".", "Where was Zork born?"));
        }
        return out;
    }

    /** Answers correctly iff the answer string is in its context; otherwise says it does not know. */
    private static Answerer oracle(List<RelearningItem> items) {
        return prompts -> {
            List<String> out = new ArrayList<>();
            for (IclPrompt p : prompts) {
                String said = "I don't know.";
                for (RelearningItem it : items) {
                    if (p.question().equals(it.question()) && p.context().contains(it.answer())) {
                        said = it.answer();
                    }
                }
                out.add(said);
            }
            return out;
        };
    }

    @Test
    void contextOnlyOracleGetsLiftOneFromPassageAndZeroFromAxiomsAndFiller() {
        List<RelearningItem> items = forget();
        HintBuilder hb = new HintBuilder(items, List.of(RelearningItem.qa("r0", "Sky?", "blue")), 1);
        InContextRelearningAttack attack = new InContextRelearningAttack(hb, Correctness.CONTAINS, 7);
        List<Hint> hints = List.of(Hint.of(Hint.Kind.H0_NONE), Hint.of(Hint.Kind.H1_PASSAGE),
                Hint.of(Hint.Kind.H2_PARAPHRASE), Hint.of(Hint.Kind.H3_AXIOMS), Hint.of(Hint.Kind.H7_FILLER),
                Hint.shots(Hint.Kind.H5_FORGET_SHOTS, 2));
        ConditionScores s = attack.score(oracle(items), items, hints);
        InContextRelearningAttack.Report r = attack.report(s, null, null);
        Map<String, InContextRelearningAttack.Row> byLabel = new java.util.HashMap<>();
        r.rows().forEach(row -> byLabel.put(row.hint().label(), row));
        assertEquals(0.0, byLabel.get("H0").accuracy());
        assertEquals(1.0, byLabel.get("H1").lift().value());
        assertEquals(1.0, byLabel.get("H1").lift().low());
        assertEquals(1.0, byLabel.get("H2").lift().value());
        assertEquals(0.0, byLabel.get("H3").lift().value());
        assertEquals(0.0, byLabel.get("H7").lift().value());
        // other items' demos never contain this item's answer: no lift for a pure context copier
        assertEquals(0.0, byLabel.get("H5(2)").lift().value());
        // H7 is length-matched to H1, cut back to a whole word (a cut word would be an unknown token)
        String h7 = hb.prompt(items.get(0), Hint.of(Hint.Kind.H7_FILLER)).context();
        int passage = items.get(0).passage().length();
        assertTrue(h7.length() <= passage && h7.length() > passage - 12, h7.length() + " vs " + passage);
        assertTrue((HintBuilder.FILLER + HintBuilder.FILLER).startsWith(h7 + " "), h7);
    }

    @Test
    void generationsAreScoredAgainstTheKeyAndDemosNeverStateIt() {
        // the model words its answer its own way; "contains" asks for the fact, not the training sentence
        RelearningItem keyed = new RelearningItem("k", "Where was Ada born?", "Ada was born in Oslo.", "Oslo",
                "Ada was born in Oslo.", null, List.of(), null, null);
        RelearningItem whole = new RelearningItem("w", "Where was Ada born?", "Ada was born in Oslo.",
                "Ada was born in Oslo.", null, List.of(), null, null);
        Answerer says = prompts -> prompts.stream().map(p -> "Oslo, of course.").toList();
        List<Hint> h0 = List.of(Hint.of(Hint.Kind.H0_NONE));
        InContextRelearningAttack a = new InContextRelearningAttack(new HintBuilder(List.of(), List.of(), 1),
                Correctness.CONTAINS, 1);
        assertEquals(1.0, a.score(says, List.of(keyed), h0).accuracy(h0.get(0)));
        assertEquals(0.0, a.score(says, List.of(whole), h0).accuracy(h0.get(0)));
        // another item about Ada states Oslo: it is no demo for the Oslo question
        RelearningItem other = RelearningItem.qa("o", "Where does Ada live?", "Ada lives in Oslo too.");
        RelearningItem clean = RelearningItem.qa("c", "What does Ada write?", "Ada writes poems.");
        HintBuilder hb = new HintBuilder(List.of(keyed, other, clean), List.of(), 1);
        assertEquals("Question: What does Ada write?\nAnswer: Ada writes poems.",
                hb.prompt(keyed, Hint.shots(Hint.Kind.H5_FORGET_SHOTS, 1)).context());
        assertEquals(null, hb.prompt(keyed, Hint.shots(Hint.Kind.H5_FORGET_SHOTS, 2)));
    }

    @Test
    void leakageCheckerRejectsLeakingAxioms() {
        RelearningItem leaky = new RelearningItem("x", "Where was X born?", "New York", "X was born in New York.",
                null, List.of("X's birthplace is new-york, a big city."), null, null);
        assertTrue(LeakageChecker.leaks("X was born in NEW  york!", "New York"));
        assertFalse(LeakageChecker.leaks("X was born in Newark.", "New York"));
        HintBuilder hb = new HintBuilder(List.of(leaky), List.of(), 1);
        assertThrows(IllegalArgumentException.class, () -> hb.prompt(leaky, Hint.of(Hint.Kind.H3_AXIOMS)));
        RelearningItem alias = new RelearningItem("y", "Where was Y born?", "New York", null, null, List.of(),
                "Let Z be the writer born in New York.", "Where was Z born?");
        assertThrows(IllegalArgumentException.class,
                () -> new HintBuilder(List.of(alias), List.of(), 1).prompt(alias, Hint.of(Hint.Kind.H4_ALIAS)));
    }

    @Test
    void metricArithmeticOnFixedCounts() {
        RelearningMetrics m = new RelearningMetrics(3);
        // 4 items; original knows items 0–2 at H0 (item 3 is skipped from ρ)
        double[] origH0 = {1, 1, 1, 0};
        double[] unlH0 = {0, 0, 1, 0};
        double[] unlH = {1, 0, 1, 1};
        assertEquals(0.5, m.lift(unlH, unlH0).value(), 1e-12); // (1 + 0 + 0 + 1) / 4
        RelearningMetrics.Recovery rec = m.recovery(unlH, unlH0, origH0);
        assertEquals(3, rec.items());
        assertEquals(2.0 / 3, rec.denominator(), 1e-12);   // (1 + 1 + 0) / 3
        assertEquals(0.5, rec.rho().value(), 1e-12);       // lift 1/3 over 2/3
        double[] ret = {0, 0, 1, 1};
        assertEquals(0.25, m.excess(unlH, ret).value(), 1e-12);
        // NaN (skipped) items drop out
        assertEquals(1.0, m.lift(new double[] {1, Double.NaN}, new double[] {0, 0}).value(), 1e-12);
        Interval ci = m.lift(unlH, unlH0);
        assertTrue(ci.low() <= 0.5 && ci.high() >= 0.5 && ci.low() >= 0 && ci.high() <= 1);
        Map<Integer, Double> curve = new java.util.TreeMap<>(Map.of(1, 0.1, 2, 0.4, 4, 0.6, 8, 0.9));
        assertEquals(4, RelearningMetrics.k50(curve).getAsInt());
        assertEquals((0.1 + 0.4) / 2 + (0.4 + 0.6) / 2 + (0.6 + 0.9) / 2, RelearningMetrics.areaOverLog2Shots(curve), 1e-12);
        assertTrue(RelearningMetrics.k50(Map.of(1, 0.2)).isEmpty());
    }
}

package dev.lethe.datasets.longctx;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasskeyTaskTest {

    private static int words(String s) {
        return s.trim().split("\\s+").length;
    }

    @Test
    void templateMatchesTheReference() {
        PasskeySample s = PasskeyTask.builder().build().sample(4217, 1, 3);
        String f = PasskeyTask.FILLER;
        assertEquals(PasskeyTask.PREFIX + " " + f + " The pass key is 4217. Remember it. 4217 is the pass key. " + f
                + " " + f, s.input());
        assertEquals(s.input() + " What is the pass key? The pass key is ", s.prompt());
        assertEquals("4217", s.target());
        assertTrue(PasskeyScorer.correct(s, " 4217. Remember it."));
    }

    @Test
    void sameSeedSameSamplesOtherSeedOthers() {
        List<PasskeySample> a = PasskeyTask.builder().optSeed(7).build().samples(50, 20);
        List<PasskeySample> b = PasskeyTask.builder().optSeed(7).build().samples(50, 20);
        List<PasskeySample> c = PasskeyTask.builder().optSeed(8).build().samples(50, 20);
        assertEquals(a, b);
        assertNotEquals(a.stream().map(PasskeySample::passkey).toList(), c.stream().map(PasskeySample::passkey).toList());
        // a golden for seed 7, so a changed draw order cannot slip through
        assertEquals(new java.util.Random(7).nextInt(PasskeyTask.KEY_BOUND - 1) + 1, a.get(0).passkey());
    }

    @Test
    void keysAndSlotsCoverTheirRanges() {
        List<PasskeySample> all = PasskeyTask.builder().optSeed(1).build().samples(2000, 10);
        List<PasskeySample> first = PasskeyTask.builder().optSeed(1).optFirstHalf(true).build().samples(2000, 10);
        boolean[] slots = new boolean[10];
        for (PasskeySample s : all) {
            assertTrue(s.passkey() >= 1 && s.passkey() < 10_000_000, "key " + s.passkey());
            slots[s.keySlot()] = true;
            String key = "The pass key is " + s.passkey() + ". Remember it. " + s.passkey() + " is the pass key.";
            int at = s.input().indexOf(key);
            assertTrue(at > 0);
            // the key sentence follows exactly keySlot fillers
            assertEquals(s.keySlot(), (s.input().substring(0, at).length() - PasskeyTask.PREFIX.length() - 1)
                    / (PasskeyTask.FILLER.length() + 1));
            assertEquals(10, s.input().split("There and back again\\.", -1).length - 1);
        }
        for (boolean seen : slots) {
            assertTrue(seen, "every slot in [0, 10) occurs");
        }
        assertTrue(first.stream().allMatch(s -> s.keySlot() < 5));
    }

    @Test
    void fillerCountFollowsTheTokenBudget() {
        PasskeyTask t = PasskeyTask.builder().build();
        int fixed = words(PasskeyTask.KEY_SENTENCE) + words(PasskeyTask.PREFIX);
        int per = words(PasskeyTask.FILLER);
        assertEquals((400 - fixed) / per, t.fillersFor(400, PasskeyTaskTest::words));
        PasskeySample s = t.samplesForLength(1, 400, PasskeyTaskTest::words).get(0);
        assertTrue(words(s.input()) <= 400, "fits the budget: " + words(s.input()));
        assertTrue(words(s.input()) > 400 - per, "no room left for one more filler");
        assertThrows(IllegalArgumentException.class, () -> t.fillersFor(fixed + per, PasskeyTaskTest::words));
        assertThrows(IllegalArgumentException.class, () -> t.samples(1, 1));
    }

    @Test
    void scorerTakesTheFirstInteger() {
        assertEquals(Optional.of(BigInteger.valueOf(123)), PasskeyScorer.firstInteger("The pass key is 123. 456"));
        assertEquals(Optional.of(BigInteger.valueOf(42)), PasskeyScorer.firstInteger("0042"));
        assertEquals(Optional.empty(), PasskeyScorer.firstInteger("no digits here"));
        assertEquals(new BigInteger("123456789012345678901234567890"),
                PasskeyScorer.firstInteger("x123456789012345678901234567890").orElseThrow());
        PasskeySample s = PasskeyTask.builder().build().sample(815, 0, 2);
        assertTrue(PasskeyScorer.correct(s, "815"));
        assertTrue(PasskeyScorer.correct(s, "key0815!"));
        assertFalse(PasskeyScorer.correct(s, "5 then 815"), "only the first integer counts");
        assertFalse(PasskeyScorer.correct(s, "eight one five"));
        assertEquals(0.5, PasskeyScorer.accuracy(List.of(s, s), List.of("815", "816")));
        assertThrows(IllegalArgumentException.class, () -> PasskeyScorer.accuracy(List.of(s), List.of()));
    }
}

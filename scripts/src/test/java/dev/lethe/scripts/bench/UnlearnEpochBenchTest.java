package dev.lethe.scripts.bench;

import dev.lethe.core.train.TrainResult;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UnlearnEpochBenchTest {

    private static TrainResult run(List<Double> stepSeconds, long tokens) {
        List<Double> zeros = Collections.nCopies(stepSeconds.size(), 0.0);
        return new TrainResult(zeros, zeros, stepSeconds, tokens, -1, null);
    }

    @Test
    void epochTimesSumTheirStepsAndTheMedianSkipsTheWarmUpEpoch() {
        // 3 epochs of 2 steps: 5.0 (warm-up), 1.0, 3.0 → median of the later epochs = 2.0
        Map<String, Object> r = UnlearnEpochBench.epochTimes(run(List.of(4.0, 1.0, 0.5, 0.5, 2.0, 1.0), 600), 3);
        assertEquals(List.of(5.0, 1.0, 3.0), r.get("epoch_s"));
        assertEquals(2.0, r.get("epoch_s_median"));
        assertEquals(2, r.get("steps_per_epoch"));
        assertEquals(200L, r.get("tokens_per_epoch"));
        Map<String, Object> odd = UnlearnEpochBench.epochTimes(run(List.of(9.0, 1.0, 3.0, 2.0), 4), 4);
        assertEquals(2.0, odd.get("epoch_s_median"), "median of 1, 3, 2");
    }

    @Test
    void refusesRunsThatDoNotSplitIntoEpochsOrStoppedEarly() {
        assertThrows(IllegalStateException.class,
                () -> UnlearnEpochBench.epochTimes(run(List.of(1.0, 1.0, 1.0), 3), 2));
        TrainResult stopped = new TrainResult(List.of(1.0), List.of(1.0), List.of(1.0), 1, 1, "loss NaN at step 1");
        assertThrows(IllegalStateException.class, () -> UnlearnEpochBench.epochTimes(stopped, 1));
    }
}

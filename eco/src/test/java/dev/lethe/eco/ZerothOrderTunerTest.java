package dev.lethe.eco;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZerothOrderTunerTest {

    @Test
    void convergesOnAQuadratic() {
        ZerothOrderTuner.Settings s = new ZerothOrderTuner.Settings(0.1, 0.05, 0.3, 40, 1e-8, 100, 0, 0, false);
        ZerothOrderTuner.Result r = ZerothOrderTuner.minimise(x -> (x - 3) * (x - 3), s);
        assertEquals(3, r.best(), 0.05);
        assertEquals(2 * 40 + 1, r.queries().size(), "two queries per step and the final iterate, all logged");
        assertEquals("plus", r.queries().get(0).role());
        assertEquals("minus", r.queries().get(1).role());
    }

    @Test
    void matchesASurrogateValueOfAMonotoneMetric() {
        // metric(σ) = 1/(1+σ) (an accuracy falling with noise); the surrogate target 0.25 is reached at σ = 3.
        // Its slope falls from −0.8 to −0.06 on the way, so plain gradient steps either crawl or overshoot; sign
        // steps with a decaying size home in regardless.
        ZerothOrderTuner.Settings s = new ZerothOrderTuner.Settings(0.1, 0.0999, 2, 30, 0.1, 50, 0.3, 1e-3, true);
        ZerothOrderTuner.Result r = ZerothOrderTuner.tune(Corruption.of(CorruptionType.RAND_NOISE_FIRST_N, 1, 0.1),
                c -> new FakeModel(c.strength()), m -> 1 / (1 + ((FakeModel) m).sigma), 0.25, s);
        assertEquals(3, r.best(), 0.1, "best σ " + r.best() + " log " + r.queries());
        assertTrue(r.bestObjective() <= 0.01);
        assertEquals(Math.abs(r.bestMetric() - 0.25), r.bestObjective(), 1e-12);
    }

    @Test
    void stopsEarlyAtTheTolerance() {
        ZerothOrderTuner.Settings s = new ZerothOrderTuner.Settings(2.9, 0.05, 0.3, 50, 0, 10, 0, 0.06, false);
        ZerothOrderTuner.Result r = ZerothOrderTuner.minimise(x -> Math.abs(x - 3), s);
        assertTrue(r.stoppedEarly());
        assertTrue(r.queries().size() < 10);
    }

    /** A stand-in model that only carries σ; the metric reads it. */
    static final class FakeModel implements dev.lethe.core.lm.LanguageModel {
        final double sigma;

        FakeModel(double sigma) {
            this.sigma = sigma;
        }

        @Override
        public dev.lethe.core.model.DecoderConfig config() {
            throw new UnsupportedOperationException();
        }

        @Override
        public ai.djl.ndarray.NDManager manager() {
            throw new UnsupportedOperationException();
        }

        @Override
        public ai.djl.ndarray.NDArray logits(dev.lethe.core.lm.TokenBatch batch) {
            throw new UnsupportedOperationException();
        }

        @Override
        public dev.lethe.core.lm.DecodingSession startDecoding(dev.lethe.core.lm.TokenBatch prompt) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}
    }
}

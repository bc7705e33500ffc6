package dev.lethe.uld;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs this module's tests with one libtorch intra-op thread (unless {@code -Dai.djl.pytorch.num_threads} is
 * given). Registered for every test class through JUnit's extension auto-detection
 * ({@code junit-platform.properties}), before any test starts the engine (DJL reads the property once).
 *
 * <p>Why: the tests use d ≤ 64 models, whose cost is per-op overhead, not arithmetic; and on the shared 2-core
 * test machine, with other builds running, libtorch's OpenMP workers spin-wait for each other — measured: 20
 * forwards of the 4-layer test model took 2–7.5 s with 2 threads and 0.1–0.2 s with 1.
 */
public final class SingleThreadedTorch implements BeforeAllCallback {

    static {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // the static initialiser did the work; this hook only makes JUnit load the class first
    }
}

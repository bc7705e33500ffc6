package dev.lethe.scripts.tofu;

import dev.lethe.core.util.Provenance;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Resumable pipeline steps: a step's artefact directory is reused when its {@code lethe.json} carries the
 * fingerprint of the provenance the step would write now, and rebuilt otherwise (or when forced).
 */
final class Stage {

    private Stage() {}

    /** True when {@code dir} holds an artefact made exactly as {@code wanted} describes and not forced. */
    static boolean upToDate(Path dir, Provenance wanted, boolean force) throws IOException {
        return !force && Provenance.matches(dir, wanted);
    }

    static void log(String what) {
        System.err.println("[lethe] " + what);
    }

    static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e7) / 100.0;
    }
}

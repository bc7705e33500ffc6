package dev.lethe.scripts.tofu;

import dev.lethe.core.lm.LanguageModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * How the pipeline runs one unlearning method: make its result directory from the target, or load a
 * result directory made earlier. Baselines write an HF checkpoint; ULD and ECO their own directories.
 */
public interface MethodRunner {

    String name();

    /** Settings that determine the result (for the stage's provenance). */
    Map<String, String> describe(PipelineContext ctx);

    /** Unlearns and writes the result into {@code dir} (atomically); returns the servable model. */
    LanguageModel run(PipelineContext ctx, Path dir) throws IOException;

    /** Loads a result written by {@link #run}. */
    LanguageModel load(PipelineContext ctx, Path dir) throws IOException;
}

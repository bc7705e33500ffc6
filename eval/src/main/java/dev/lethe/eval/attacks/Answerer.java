package dev.lethe.eval.attacks;

import java.util.List;

/** Anything that answers prompts: a model behind a template and greedy decoding, or a test oracle. */
@FunctionalInterface
public interface Answerer {

    List<String> answer(List<IclPrompt> prompts);

    /**
     * Whether {@code prompt} (with the answer budget) fits the model's context; a prompt that does not is
     * skipped like missing material, never truncated (cutting it would cut the hint and change the condition).
     */
    default boolean fits(IclPrompt prompt) {
        return true;
    }
}

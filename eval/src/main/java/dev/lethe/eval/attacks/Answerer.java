package dev.lethe.eval.attacks;

import java.util.List;

/** Anything that answers prompts: a model behind a template and greedy decoding, or a test oracle. */
@FunctionalInterface
public interface Answerer {
    List<String> answer(List<IclPrompt> prompts);
}

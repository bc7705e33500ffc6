package dev.lethe.eval.attacks;

import dev.lethe.core.lm.Generator;
import dev.lethe.core.lm.LanguageModel;
import dev.lethe.core.text.QaEncoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Any {@link LanguageModel} as an {@link Answerer}: the prompt text goes through the encoder's chat
 * template, the {@link Generator} decodes (greedy by default, identical for all conditions), and the
 * continuation is detokenised without special tokens.
 */
public record GeneratingAnswerer(LanguageModel model, QaEncoder encoder, Generator generator) implements Answerer {

    @Override
    public List<String> answer(List<IclPrompt> prompts) {
        List<long[]> ids = new ArrayList<>(prompts.size());
        for (IclPrompt p : prompts) {
            ids.add(Arrays.stream(encoder.encodePrompt(p.text())).asLongStream().toArray());
        }
        List<String> out = new ArrayList<>(prompts.size());
        for (Generator.Output o : generator.generate(model, ids)) {
            int[] t = Arrays.stream(o.tokens()).mapToInt(v -> (int) v).toArray();
            out.add(encoder.tokenizer().decode(t, true));
        }
        return out;
    }
}

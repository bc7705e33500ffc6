package dev.lethe.eval.attacks;

import dev.lethe.core.lm.Generator;
import dev.lethe.core.lm.LanguageModel;
import dev.lethe.core.text.ChatTemplate;
import dev.lethe.core.text.QaEncoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Any {@link LanguageModel} as an {@link Answerer}: the prompt goes through the encoder's template, the
 * {@link Generator} decodes (greedy by default, identical for all conditions), and the continuation is
 * detokenised without special tokens.
 *
 * <p>Where the context goes depends on the template. With the tag-free {@code qa} and {@code plain}
 * templates it precedes the prompt ({@code context, blank line, "Question: q\nAnswer: "}): a document and
 * then a question, and H5/H6 demos — themselves {@code Question:/Answer:} pairs — line up with the asked
 * question as one many-shot sequence. A chat template gets it inside the user turn ({@link IclPrompt#text()}),
 * since text outside the turns is not what a chat model reads.
 */
public record GeneratingAnswerer(LanguageModel model, QaEncoder encoder, Generator generator) implements Answerer {

    @Override
    public List<String> answer(List<IclPrompt> prompts) {
        List<long[]> ids = new ArrayList<>(prompts.size());
        for (IclPrompt p : prompts) {
            ids.add(Arrays.stream(encode(p)).asLongStream().toArray());
        }
        List<String> out = new ArrayList<>(prompts.size());
        for (Generator.Output o : generator.generate(model, ids)) {
            int[] t = Arrays.stream(o.tokens()).mapToInt(v -> (int) v).toArray();
            out.add(encoder.tokenizer().decode(t, true));
        }
        return out;
    }

    /** Prompt ids plus the whole answer budget within the model's positions. */
    @Override
    public boolean fits(IclPrompt prompt) {
        return encode(prompt).length + generator.maxNewTokens() <= model.config().maxPositionEmbeddings();
    }

    /** The prompt's token ids (BOS included), with the context placed as the template calls for. */
    public int[] encode(IclPrompt p) {
        ChatTemplate t = encoder.template();
        boolean tagFree = t.name().equals(ChatTemplate.QA.name()) || t.name().equals(ChatTemplate.PLAIN.name());
        if (tagFree && !p.context().isEmpty()) {
            String context = p.context() + "\n\n";
            return encoder.encodeGenerationPrompt(context + t.prompt(p.question()),
                    a -> context + t.full(p.question(), a));
        }
        return encoder.encodePrompt(p.text());
    }
}

package dev.lethe.eval.attacks;

import dev.lethe.core.lm.Generator;
import dev.lethe.core.lm.LanguageModel;
import dev.lethe.core.text.ChatTemplate;
import dev.lethe.core.text.QaEncoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

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
public final class GeneratingAnswerer implements Answerer {

    private final LanguageModel model;
    private final QaEncoder encoder;
    private final Generator generator;
    /**
     * Encodings made by {@link #fits}, reused by the {@link #answer} call that follows it (encoding is the
     * costly part of the check); emptied by each answer call so it holds at most one condition's prompts.
     */
    private final Map<IclPrompt, int[]> encoded = new ConcurrentHashMap<>();

    public GeneratingAnswerer(LanguageModel model, QaEncoder encoder, Generator generator) {
        this.model = model;
        this.encoder = encoder;
        this.generator = generator;
    }

    public LanguageModel model() {
        return model;
    }

    public QaEncoder encoder() {
        return encoder;
    }

    public Generator generator() {
        return generator;
    }

    @Override
    public List<String> answer(List<IclPrompt> prompts) {
        List<long[]> ids = new ArrayList<>(prompts.size());
        for (IclPrompt p : prompts) {
            int[] e = encoded.get(p);
            ids.add(Arrays.stream(e != null ? e : encode(p)).asLongStream().toArray());
        }
        encoded.clear();
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
        int[] e = encoded.computeIfAbsent(prompt, this::encode);
        return e.length + generator.maxNewTokens() <= model.config().maxPositionEmbeddings();
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

    @Override
    public boolean equals(Object o) {
        return o instanceof GeneratingAnswerer g && model.equals(g.model) && encoder.equals(g.encoder)
                && generator.equals(g.generator);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, encoder, generator);
    }

    @Override
    public String toString() {
        return "GeneratingAnswerer[model=" + model + ", encoder=" + encoder + ", generator=" + generator + "]";
    }
}

package dev.lethe.eval;

import dev.lethe.core.lm.Generator;
import dev.lethe.core.lm.LanguageModel;
import dev.lethe.core.text.QaEncoder;
import dev.lethe.core.text.TextTokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Greedy answers to TOFU questions for ROUGE (spec §2.3): prompt = template prompt with BOS, left-padded
 * batches through the core {@link Generator} (KV cache, per-row EOS stop), new tokens decoded with special
 * tokens skipped and stripped. Each distinct question is generated once.
 *
 * <p>Prompts are sorted by length so a batch wastes little left padding. When a batch's longest prompt
 * plus the budget would run past the model's {@code max_position_embeddings}, that batch's budget is
 * shortened (with a warning) rather than failing inside RoPE.
 */
final class AnswerGenerator {

    private static final Logger LOG = Logger.getLogger(AnswerGenerator.class.getName());

    /** One generation: the decoded prompt and the decoded continuation. */
    record Generated(String input, String text) {}

    private final LanguageModel model;
    private final QaEncoder encoder;
    private final TextTokenizer tokenizer;
    private final int batchSize;
    private final int maxNewTokens;

    AnswerGenerator(LanguageModel model, QaEncoder encoder, int batchSize, int maxNewTokens) {
        this.model = model;
        this.encoder = encoder;
        this.tokenizer = encoder.tokenizer();
        this.batchSize = batchSize;
        this.maxNewTokens = maxNewTokens;
    }

    /** Question → generation, for every distinct question. */
    Map<String, Generated> generate(Collection<String> questions) {
        List<String> qs = new ArrayList<>(new LinkedHashSet<>(questions));
        List<int[]> prompts = new ArrayList<>(qs.size());
        for (String q : qs) {
            prompts.add(encoder.encodePrompt(q));
        }
        Integer[] order = new Integer[qs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> -prompts.get(i).length).thenComparingInt(i -> i));
        int maxPositions = model.config().maxPositionEmbeddings();
        Map<String, Generated> out = new LinkedHashMap<>();
        for (int start = 0; start < order.length; start += batchSize) {
            int end = Math.min(order.length, start + batchSize);
            List<long[]> batch = new ArrayList<>(end - start);
            for (int k = start; k < end; k++) {
                batch.add(Arrays.stream(prompts.get(order[k])).asLongStream().toArray());
            }
            int width = prompts.get(order[start]).length;
            int budget = Math.min(maxNewTokens, maxPositions - width);
            if (budget < 1) {
                throw new IllegalArgumentException("prompt of question \"" + qs.get(order[start]) + "\" has " + width
                        + " tokens, which leaves no room to generate within max_position_embeddings = " + maxPositions);
            }
            if (budget < maxNewTokens) {
                LOG.warning("generation budget cut from " + maxNewTokens + " to " + budget + " new tokens for a batch "
                        + "with " + width + "-token prompts (max_position_embeddings = " + maxPositions + ")");
            }
            List<Generator.Output> gen = Generator.builder().optMaxNewTokens(budget).optBatchSize(batch.size())
                    .build().generate(model, batch);
            for (int k = start; k < end; k++) {
                int i = order[k];
                long[] toks = gen.get(k - start).tokens();
                int[] ids = new int[toks.length];
                for (int j = 0; j < ids.length; j++) {
                    ids[j] = Math.toIntExact(toks[j]);
                }
                out.put(qs.get(i), new Generated(tokenizer.decode(prompts.get(i), true).strip(),
                        tokenizer.decode(ids, true).strip()));
            }
        }
        return out;
    }
}

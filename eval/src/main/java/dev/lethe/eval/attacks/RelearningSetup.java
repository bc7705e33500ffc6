package dev.lethe.eval.attacks;

import dev.lethe.core.lm.Generator;
import dev.lethe.core.lm.LanguageModel;
import dev.lethe.core.text.ChatTemplate;
import dev.lethe.core.text.QaEncoder;
import dev.lethe.core.text.TextTokenizer;
import dev.lethe.core.util.Provenance;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Everything that fixes an in-context relearning run except the model: the attacked items, the demo
 * pools, the conditions, the scoring, the template and the decoding. {@code lethe attack icl} and the
 * tofu-mini pipeline both build one, so their numbers mean the same thing.
 *
 * @param items the forget items asked about
 * @param forgetPool H5's demo source (the whole forget split: demos come from other items)
 * @param retainPool H6's demo source
 * @param correctness {@code contains}, {@code exact} or {@code rouge} (see {@link Correctness#named})
 * @param maxNewTokens greedy answer budget (a prompt that leaves no room for it is skipped)
 * @param batchSize generation batch (left padding makes batch composition part of the setup)
 * @param filler H7's filler text ({@link RelearningItems#filler}: in-vocabulary on a synthetic world)
 */
public record RelearningSetup(List<RelearningItem> items, List<RelearningItem> forgetPool,
                              List<RelearningItem> retainPool, List<Hint> conditions, String correctness,
                              ChatTemplate template, int maxNewTokens, int batchSize, long seed, String filler) {

    /** With LM-Infinite's passkey filler for H7 ({@link HintBuilder#FILLER}). */
    public RelearningSetup(List<RelearningItem> items, List<RelearningItem> forgetPool,
                           List<RelearningItem> retainPool, List<Hint> conditions, String correctness,
                           ChatTemplate template, int maxNewTokens, int batchSize, long seed) {
        this(items, forgetPool, retainPool, conditions, correctness, template, maxNewTokens, batchSize, seed,
                HintBuilder.FILLER);
    }

    public RelearningSetup {
        items = List.copyOf(items);
        forgetPool = List.copyOf(forgetPool);
        retainPool = List.copyOf(retainPool);
        conditions = List.copyOf(conditions);
        Correctness.named(correctness);
        if (items.isEmpty()) {
            throw new IllegalArgumentException("no items to attack");
        }
        if (conditions.stream().noneMatch(h -> h.kind() == Hint.Kind.H0_NONE)) {
            throw new IllegalArgumentException("the conditions must include H0 (every lift is measured from it)");
        }
        if (maxNewTokens < 1 || batchSize < 1) {
            throw new IllegalArgumentException("max new tokens and batch size must be positive");
        }
    }

    public InContextRelearningAttack attack() {
        return new InContextRelearningAttack(new HintBuilder(forgetPool, retainPool, seed, filler),
                Correctness.named(correctness), seed);
    }

    /** {@code model}'s scores under every condition, greedy decoding. */
    public ConditionScores score(LanguageModel model, TextTokenizer tokenizer) {
        Generator g = Generator.builder().optMaxNewTokens(maxNewTokens).optBatchSize(batchSize).build();
        return attack().score(new GeneratingAnswerer(model, QaEncoder.of(tokenizer, template), g), items, conditions);
    }

    /** The settings that determine the scores of a given model, for provenance. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("items", Integer.toString(items.size()));
        m.put("items_sha256", sha(items));
        m.put("forget_pool_sha256", sha(forgetPool));
        m.put("retain_pool_sha256", sha(retainPool));
        m.put("conditions", conditions.stream().map(Hint::label).collect(Collectors.joining(",")));
        m.put("correctness", correctness);
        m.put("template", template.name());
        m.put("max_new_tokens", Integer.toString(maxNewTokens));
        m.put("filler_sha256", Provenance.sha256(filler.getBytes(StandardCharsets.UTF_8)));
        m.put("batch", Integer.toString(batchSize));
        m.put("decoding", "greedy");
        return m;
    }

    private static String sha(List<RelearningItem> items) {
        return Provenance.sha256(items.toString().getBytes(StandardCharsets.UTF_8));
    }
}

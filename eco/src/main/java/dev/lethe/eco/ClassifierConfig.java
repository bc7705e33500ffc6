package dev.lethe.eco;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Shape of the {@link PromptClassifier}: a bag of embeddings over the project tokenizer, scored per token and
 * max-pooled. The reference uses roberta-base; this is what the CPU budget affords, and on TOFU-style gating
 * (is this question about one of these authors?) the decisive evidence is which name, title and place tokens
 * occur, which a bag sees.
 *
 * @param vocabSize embedding rows (the tokenizer's vocabulary size)
 * @param dim embedding width
 * @param hidden width of the per-token hidden layer
 * @param dropout dropout on the pooled features while training (reference: 0.1)
 * @param maxLength inputs are truncated to their first {@code maxLength} tokens (reference: 512)
 * @param seed initialisation seed
 * @param window tokens each per-token score sees: 1 = the token alone (a pure bag of embeddings), 3 = the token
 *     and its two neighbours (embeddings concatenated), so that a score can depend on which sub-word pieces occur
 *     together; the project tokenizer splits names into pieces that forget and retain authors share
 */
public record ClassifierConfig(int vocabSize, int dim, int hidden, double dropout, int maxLength, long seed,
                               int window) {

    /** A window-1 (bag of embeddings) classifier, the shape of classifiers saved before the window existed. */
    public ClassifierConfig(int vocabSize, int dim, int hidden, double dropout, int maxLength, long seed) {
        this(vocabSize, dim, hidden, dropout, maxLength, seed, 1);
    }

    public ClassifierConfig {
        if (vocabSize < 1 || dim < 1 || hidden < 1 || maxLength < 1 || window < 1 || window % 2 == 0) {
            throw new IllegalArgumentException("classifier sizes must be positive (window odd)");
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
    }

    /** Lethe's defaults: 64-wide embeddings, 64 hidden units, dropout 0.1, 512 tokens. */
    public static ClassifierConfig defaults(int vocabSize) {
        return new ClassifierConfig(vocabSize, 64, 64, 0.1, 512, 0);
    }

    ObjectNode toJson(ObjectMapper json) {
        ObjectNode o = json.createObjectNode();
        o.put("architecture", "token_mlp_max_pool");
        o.put("vocab_size", vocabSize);
        o.put("dim", dim);
        o.put("hidden", hidden);
        o.put("dropout", dropout);
        o.put("max_length", maxLength);
        o.put("seed", seed);
        o.put("window", window);
        return o;
    }

    static ClassifierConfig fromJson(JsonNode o) {
        return new ClassifierConfig(o.get("vocab_size").asInt(), o.get("dim").asInt(), o.get("hidden").asInt(),
                o.get("dropout").asDouble(), o.get("max_length").asInt(), o.get("seed").asLong(),
                o.has("window") ? o.get("window").asInt() : 1);
    }
}

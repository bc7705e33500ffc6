package dev.lethe.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The shape of a Llama-style decoder, read from and written to a Hugging Face {@code config.json}.
 *
 * <p>The same record covers LlamaForCausalLM, MistralForCausalLM and Qwen2ForCausalLM: they share the
 * layout and differ only in {@code attentionBias} (Qwen2 has q/k/v biases) and default values.
 *
 * @param modelType HF {@code model_type}: llama, mistral or qwen2
 * @param vocabSize number of token ids
 * @param hiddenSize residual stream width (d_model)
 * @param intermediateSize SwiGLU hidden width
 * @param numHiddenLayers number of decoder layers
 * @param numAttentionHeads query heads
 * @param numKeyValueHeads key/value heads (grouped-query attention when fewer than query heads)
 * @param rmsNormEps epsilon inside RMSNorm
 * @param ropeTheta RoPE base frequency
 * @param maxPositionEmbeddings longest sequence the RoPE tables are built for
 * @param tieWordEmbeddings whether the LM head shares the embedding matrix
 * @param attentionBias whether q/k/v projections carry biases (Qwen2)
 * @param bosTokenId beginning-of-sequence id
 * @param eosTokenId end-of-sequence id
 * @param padTokenId padding id (TOFU evaluation pads with EOS when the tokenizer has no pad token)
 */
public record DecoderConfig(
        String modelType,
        int vocabSize,
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        double rmsNormEps,
        double ropeTheta,
        int maxPositionEmbeddings,
        boolean tieWordEmbeddings,
        boolean attentionBias,
        int bosTokenId,
        int eosTokenId,
        int padTokenId) {

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public DecoderConfig {
        require(vocabSize > 0, "vocab_size must be positive, got " + vocabSize);
        require(hiddenSize > 0, "hidden_size must be positive, got " + hiddenSize);
        require(intermediateSize > 0, "intermediate_size must be positive, got " + intermediateSize);
        require(numHiddenLayers > 0, "num_hidden_layers must be positive, got " + numHiddenLayers);
        require(numAttentionHeads > 0 && hiddenSize % numAttentionHeads == 0,
                "hidden_size " + hiddenSize + " must be divisible by num_attention_heads " + numAttentionHeads);
        require(numKeyValueHeads > 0 && numAttentionHeads % numKeyValueHeads == 0,
                "num_attention_heads " + numAttentionHeads + " must be divisible by num_key_value_heads "
                        + numKeyValueHeads);
        require((hiddenSize / numAttentionHeads) % 2 == 0, "head_dim must be even for RoPE");
        require(rmsNormEps > 0, "rms_norm_eps must be positive");
        require(maxPositionEmbeddings > 0, "max_position_embeddings must be positive");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Invalid decoder config: " + message);
        }
    }

    /** A small Llama config; the other fields take Llama's defaults. */
    public static DecoderConfig llama(int vocab, int dim, int ffn, int layers, int heads, int kvHeads, int maxLen) {
        return new DecoderConfig("llama", vocab, dim, ffn, layers, heads, kvHeads, 1e-5, 10000.0, maxLen,
                false, false, 1, 2, 2);
    }

    public int headDim() {
        return hiddenSize / numAttentionHeads;
    }

    /** Query heads served by each key/value head. */
    public int groupSize() {
        return numAttentionHeads / numKeyValueHeads;
    }

    public DecoderConfig withLayers(int layers) {
        return new DecoderConfig(modelType, vocabSize, hiddenSize, intermediateSize, layers, numAttentionHeads,
                numKeyValueHeads, rmsNormEps, ropeTheta, maxPositionEmbeddings, tieWordEmbeddings, attentionBias,
                bosTokenId, eosTokenId, padTokenId);
    }

    public DecoderConfig withTokens(int vocab, int bos, int eos, int pad) {
        return new DecoderConfig(modelType, vocab, hiddenSize, intermediateSize, numHiddenLayers, numAttentionHeads,
                numKeyValueHeads, rmsNormEps, ropeTheta, maxPositionEmbeddings, tieWordEmbeddings, attentionBias,
                bos, eos, pad);
    }

    public DecoderConfig withMaxPositions(int maxPositions) {
        return new DecoderConfig(modelType, vocabSize, hiddenSize, intermediateSize, numHiddenLayers,
                numAttentionHeads, numKeyValueHeads, rmsNormEps, ropeTheta, maxPositions, tieWordEmbeddings,
                attentionBias, bosTokenId, eosTokenId, padTokenId);
    }

    /** Parameters of the model this config describes (embedding, layers, final norm, LM head). */
    public long parameterCount() {
        long d = hiddenSize;
        long kv = (long) numKeyValueHeads * headDim();
        long attn = d * d * 2 + d * kv * 2 + (attentionBias ? d + 2 * kv : 0);
        long mlp = 3L * d * intermediateSize;
        long layer = attn + mlp + 2 * d;
        long emb = (long) vocabSize * d;
        return emb + layer * numHiddenLayers + d + (tieWordEmbeddings ? 0 : emb);
    }

    /** Reads {@code config.json}; missing optional keys take the defaults of the named architecture. */
    public static DecoderConfig read(Path file) throws IOException {
        JsonNode n;
        try {
            n = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IOException(file + ": expected a JSON object");
        }
        String type = n.path("model_type").asText("llama");
        if (!List.of("llama", "mistral", "qwen2").contains(type)) {
            throw new IOException(file + ": model_type '" + type + "' is not a Llama-layout decoder "
                    + "(expected llama, mistral or qwen2)");
        }
        int heads = req(n, "num_attention_heads", file);
        boolean qwen = type.equals("qwen2");
        try {
            return new DecoderConfig(type,
                    req(n, "vocab_size", file),
                    req(n, "hidden_size", file),
                    req(n, "intermediate_size", file),
                    req(n, "num_hidden_layers", file),
                    heads,
                    n.path("num_key_value_heads").asInt(heads),
                    n.path("rms_norm_eps").asDouble(qwen ? 1e-6 : 1e-5),
                    n.path("rope_theta").asDouble(10000.0),
                    n.path("max_position_embeddings").asInt(2048),
                    n.path("tie_word_embeddings").asBoolean(false),
                    n.path("attention_bias").asBoolean(qwen),
                    tokenId(n, "bos_token_id", 1),
                    tokenId(n, "eos_token_id", 2),
                    tokenId(n, "pad_token_id", tokenId(n, "eos_token_id", 2)));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static int req(JsonNode n, String key, Path file) throws IOException {
        JsonNode v = n.get(key);
        if (v == null || !v.canConvertToInt()) {
            throw new IOException(file + ": missing or non-integer '" + key + "'");
        }
        return v.asInt();
    }

    /** HF allows a list of EOS ids; the first one is the canonical one. */
    private static int tokenId(JsonNode n, String key, int fallback) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (v.isArray()) {
            return v.size() == 0 ? fallback : v.get(0).asInt();
        }
        return v.asInt();
    }

    /** The {@code config.json} object with the keys transformers expects for this architecture. */
    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        String arch = switch (modelType) {
            case "mistral" -> "MistralForCausalLM";
            case "qwen2" -> "Qwen2ForCausalLM";
            default -> "LlamaForCausalLM";
        };
        n.putArray("architectures").add(arch);
        n.put("attention_bias", attentionBias);
        n.put("attention_dropout", 0.0);
        n.put("bos_token_id", bosTokenId);
        n.put("eos_token_id", eosTokenId);
        n.put("head_dim", headDim());
        n.put("hidden_act", "silu");
        n.put("hidden_size", hiddenSize);
        n.put("initializer_range", 0.02);
        n.put("intermediate_size", intermediateSize);
        n.put("max_position_embeddings", maxPositionEmbeddings);
        n.put("mlp_bias", false);
        n.put("model_type", modelType);
        n.put("num_attention_heads", numAttentionHeads);
        n.put("num_hidden_layers", numHiddenLayers);
        n.put("num_key_value_heads", numKeyValueHeads);
        n.put("pad_token_id", padTokenId);
        n.put("pretraining_tp", 1);
        n.put("rms_norm_eps", rmsNormEps);
        n.putNull("rope_scaling");
        n.put("rope_theta", ropeTheta);
        n.put("tie_word_embeddings", tieWordEmbeddings);
        n.put("torch_dtype", "float32");
        n.put("use_cache", true);
        n.put("vocab_size", vocabSize);
        return n;
    }

    /** Writes {@code config.json} (the caller makes the directory write atomic). */
    public void write(Path file) throws IOException {
        Files.writeString(file, JSON.writeValueAsString(toJson()) + "\n");
    }
}

package dev.lethe.uld;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lethe.core.lora.LoraConfig;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Every ULD setting: assistant shape, LoRA, loss, optimisation, augmentation and inference. Paper and reference
 * code disagree on four of them (LoRA r, λ, α, filter rate; uld.md pitfall 2), so all are explicit here and all
 * are written to {@code uld.json} with every run.
 *
 * <p>Presets: {@link #reference()} (the reference code's TOFU run, Lethe's {@code default}), {@link #paper()}
 * (the paper's App. B.5 values) and {@link #tiny()} (Lethe's CPU-sized synthetic world). Build variants with
 * {@link #toBuilder()}.
 *
 * @param preset name of the preset this config started from (provenance only)
 * @param assistantLayers K, the assistant's layer count; 0 = automatic, see {@link #assistantLayersFor}
 * @param loraRank LoRA r
 * @param loraAlpha LoRA alpha (update scale alpha / r)
 * @param loraDropout dropout on the adapters' input while training
 * @param retainWeight λ in {@code L = L_f + λ·L_r}
 * @param retainLoss which retain positions the flat loss averages over
 * @param learnEos whether EOS is a forget-CE label; the reference pads with EOS and masks padding, so EOS is
 *     never learned there (uld.md §3.3)
 * @param padLength right-pad every training sequence to at least this length (reference: 256, "max_length"
 *     padding; only the faithful flat loss sees the difference, through its padding positions); 0 = pad each
 *     sub-batch to its longest sequence
 * @param alpha α in {@code z = z_target − α·z_assistant}
 * @param filterRate r of the plausibility filter (0 = no filter, uld.md §6.4)
 * @param learningRate peak learning rate
 * @param epochs passes over the interleaved forget/retain sequence
 * @param batchSize sequences per optimizer step (forget and retain together)
 * @param accumulation micro-batches per optimizer step (batchSize must divide evenly)
 * @param warmupRatio fraction of the steps spent in linear warm-up (then linear decay to 0)
 * @param weightDecay AdamW decoupled weight decay
 * @param clipNorm global gradient-norm clip (HF Trainer's default 1.0); ≤ 0 disables
 * @param expandQaNum paraphrased (question, answer) pairs added per forget item
 * @param perturbedPerQuestion wrong answers paired with each forget question on the retain side
 * @param regularRetainCap at most this many regular retain rows (the last ones); the reference takes
 *     {@code min(400, |D_f|)}
 * @param seed seeds LoRA initialisation, augmentation choices, batch order and dropout
 */
public record UldConfig(
        String preset,
        int assistantLayers,
        int loraRank,
        double loraAlpha,
        double loraDropout,
        double retainWeight,
        RetainLossMode retainLoss,
        boolean learnEos,
        int padLength,
        double alpha,
        double filterRate,
        double learningRate,
        int epochs,
        int batchSize,
        int accumulation,
        double warmupRatio,
        double weightDecay,
        double clipNorm,
        int expandQaNum,
        int perturbedPerQuestion,
        int regularRetainCap,
        long seed) {

    /** K / L of the reference: an 8-layer assistant for the 32-layer Llama-2-7B target (uld.md §2). */
    public static final double REFERENCE_LAYER_FRACTION = 8.0 / 32.0;

    private static final ObjectMapper JSON = new ObjectMapper();

    public UldConfig {
        require(assistantLayers >= 0, "assistantLayers must be >= 0 (0 = automatic)");
        require(loraRank >= 1, "loraRank must be >= 1");
        require(loraDropout >= 0 && loraDropout < 1, "loraDropout must be in [0, 1)");
        require(retainWeight >= 0, "retainWeight (lambda) must be >= 0");
        require(retainLoss != null, "retainLoss is required");
        require(padLength >= 0, "padLength must be >= 0");
        require(Double.isFinite(alpha), "alpha must be finite");
        require(filterRate >= 0 && filterRate <= 1, "filterRate must be in [0, 1]");
        require(learningRate > 0, "learningRate must be > 0");
        require(epochs >= 1 && batchSize >= 1 && accumulation >= 1, "epochs, batchSize, accumulation must be >= 1");
        require(batchSize % accumulation == 0, "batchSize " + batchSize + " is not a multiple of accumulation "
                + accumulation);
        require(warmupRatio >= 0 && warmupRatio < 1, "warmupRatio must be in [0, 1)");
        require(expandQaNum >= 0 && perturbedPerQuestion >= 0 && regularRetainCap >= 0,
                "augmentation counts must be >= 0");
        preset = preset == null ? "custom" : preset;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Invalid ULD config: " + message);
        }
    }

    /**
     * The reference code's TOFU run ({@code bashes/tofu/uld_train.sh}, {@code configs/model_mode/uld.yaml},
     * {@code configs/unlearn_loss/remember+uniform.yaml}): LoRA r 16 / alpha 32 / dropout 0.05, λ 5, faithful
     * flat loss, EOS not learned, padding to 256, lr 1e-3, effective batch 32, 10 epochs, 10 % warm-up then
     * linear decay, AdamW wd 0.01; inference α 0.8 (w = −0.8) and filter r 0.01 as that script's TOFU eval call.
     * K is automatic: a quarter of the target's layers, the reference's 8 of 32.
     */
    public static UldConfig reference() {
        return new UldConfig("reference", 0, 16, 32, 0.05, 5.0, RetainLossMode.FAITHFUL, false, 256, 0.8, 0.01,
                1e-3, 10, 32, 1, 0.1, 0.01, 1.0, 2, 2, 400, 0);
    }

    /** The paper's values (§3.2, App. B.5): LoRA r 32 / alpha 32, λ 6.5, α 0.75; the rest as {@link #reference()}. */
    public static UldConfig paper() {
        return reference().toBuilder().optPreset("paper").optLoraRank(32).optLoraAlpha(32).optRetainWeight(6.5)
                .optAlpha(0.75).build();
    }

    /**
     * Lethe's tiny synthetic-world preset (d ≤ 64, 2–4 layers, a few hundred examples, 2 CPU cores). Differences
     * from {@link #reference()}, and why:
     * <ul>
     *   <li>K = 1: a quarter of a 2–4-layer target rounds to one layer; the assistant must stay much smaller
     *       than the target for the logit difference to be cheap, as in the paper;</li>
     *   <li>LoRA r 8 / alpha 16: same update scale alpha / r = 2 as the reference, but r 16 would be a full-rank
     *       update of a 32-wide model;</li>
     *   <li>batch 16: forget01 of a 30-author world is 20 items, so D'_f ∪ D'_r holds 120 sequences and batch 32
     *       would give 4 steps an epoch — too few for warm-up and decay to mean anything;</li>
     *   <li>padLength 0: padding ~30-token QA pairs to 256 would make every step ~8× dearer on CPU. The faithful
     *       flat loss then counts each batch's own padding rather than 256 − length positions;</li>
     *   <li>lr 1e-2: measured on a 2-layer d = 32 random target (init std 0.3) with forget01 of a 10-author
     *       world, 10 epochs at λ 5: the assistant's forget CE fell 8.15 → 7.00 / 6.26 / 5.49 at lr 1e-3 / 3e-3 /
     *       1e-2 while its retain entropy rose 5.46 → 5.64 / 5.97 / 6.06 (log V = 6.84). The reference's 1e-3 is
     *       tuned for 7B-scale activations and barely moves a rank-8 adapter on a 32-wide model.</li>
     * </ul>
     * λ stays at the reference's 5: on that same world a smaller λ (1) learns the forget set faster (CE 4.12)
     * but flattens retain data less (entropy 5.59), and no evaluation has yet shown which trade-off gives the
     * better forget quality at this scale.
     *
     * <p>α 1.1 (reference 0.8, the only difference at inference), from sweeps on tofu-mini default (2-layer d = 128
     * target, V = 1023), forget10, 10 epochs fixed in advance, selection by forget quality (FQ), model utility (MU)
     * reported. Seed 0, FQ / MU, target MU 0.768, with the world's own augmentation texts ({@link UldAugmentation}):
     * α 0.6 9e-18 / 0.719; α 0.8 1e-11 / 0.693; α 1.1 3e-3 / 0.635; α 1.5 1e-3 / 0.540; α 2.0 6e-14 / 0.409;
     * at α 1.1 batch 32 1e-3 / 0.623, λ 20 (α 1.5) 1e-26 / 0.739. An earlier sweep that trained on the very
     * paraphrased and perturbed answers the truth ratio scores (since fixed) also peaked at α 1.1 (FQ 0.27–0.55 —
     * inflated by that leak) and found λ 1, masked retain loss, LoRA r 32, r = 0 (no filter) and K = 2 no better.
     * No setting reached FQ ≥ 0.5 with MU ≥ 0.99 × target: the synthetic answers are templates that restate the
     * question, so what the assistant learns on the forget set is mostly template (its answer-token CE is 1.77 on
     * forget rows but already 2.96 on retain rows, against ln V = 6.93), and subtracting it costs retain answers too.
     *
     * <p>LoRA dropout 0 (reference 0.05): on CPU the dropout masks are ~15 % of a training step (a Bernoulli draw
     * per input element of all seven adapted projections, profiled), and at α 1.1 dropout 0 measured FQ 4e-3 /
     * MU 0.634 against 3e-3 / 0.635 with it.
     */
    public static UldConfig tiny() {
        return reference().toBuilder().optPreset("tiny").optAssistantLayers(1).optLoraRank(8).optLoraAlpha(16)
                .optLoraDropout(0).optBatchSize(16).optPadLength(0).optLearningRate(1e-2).optAlpha(1.1).build();
    }

    /** {@code default} (= reference), {@code reference}, {@code paper} or {@code tiny}. */
    public static UldConfig preset(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "default", "reference" -> reference().toBuilder().optPreset(name.toLowerCase(Locale.ROOT)).build();
            case "paper" -> paper();
            case "tiny" -> tiny();
            default -> throw new IllegalArgumentException("unknown ULD preset '" + name
                    + "'; known: default, reference, paper, tiny");
        };
    }

    /**
     * K for a target with {@code targetLayers} layers: the configured value (at most the target's), or, when
     * automatic, {@link #REFERENCE_LAYER_FRACTION} of the target rounded, at least 1.
     */
    public int assistantLayersFor(int targetLayers) {
        if (assistantLayers > 0) {
            if (assistantLayers > targetLayers) {
                throw new IllegalArgumentException("assistant layers " + assistantLayers + " > target layers "
                        + targetLayers);
            }
            return assistantLayers;
        }
        return Math.max(1, (int) Math.round(targetLayers * REFERENCE_LAYER_FRACTION));
    }

    /** LoRA on every linear layer (q, k, v, o, gate, up, down) of all assistant layers; never on the LM head. */
    public LoraConfig loraConfig() {
        return LoraConfig.allLinear(loraRank, loraAlpha, loraDropout);
    }

    /** The settings as a flat string map, for {@link dev.lethe.core.util.Provenance}. */
    public Map<String, String> toStringMap() {
        Map<String, String> out = new LinkedHashMap<>();
        toJson().fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** {@code uld.json}'s "config" object: snake_case keys. */
    public ObjectNode toJson() {
        ObjectNode n = JSON.createObjectNode();
        n.put("preset", preset);
        n.put("assistant_layers", assistantLayers);
        n.put("lora_rank", loraRank);
        n.put("lora_alpha", loraAlpha);
        n.put("lora_dropout", loraDropout);
        n.put("retain_weight", retainWeight);
        n.put("retain_loss", retainLoss.id());
        n.put("learn_eos", learnEos);
        n.put("pad_length", padLength);
        n.put("alpha", alpha);
        n.put("filter_rate", filterRate);
        n.put("learning_rate", learningRate);
        n.put("epochs", epochs);
        n.put("batch_size", batchSize);
        n.put("accumulation", accumulation);
        n.put("warmup_ratio", warmupRatio);
        n.put("weight_decay", weightDecay);
        n.put("clip_norm", clipNorm);
        n.put("expand_qa_num", expandQaNum);
        n.put("perturbed_per_question", perturbedPerQuestion);
        n.put("regular_retain_cap", regularRetainCap);
        n.put("seed", seed);
        return n;
    }

    /** Reads {@link #toJson()}'s output; a missing key takes {@link #reference()}'s value. */
    public static UldConfig fromJson(JsonNode n) {
        UldConfig d = reference();
        return new UldConfig(
                n.path("preset").asText(d.preset),
                n.path("assistant_layers").asInt(d.assistantLayers),
                n.path("lora_rank").asInt(d.loraRank),
                n.path("lora_alpha").asDouble(d.loraAlpha),
                n.path("lora_dropout").asDouble(d.loraDropout),
                n.path("retain_weight").asDouble(d.retainWeight),
                RetainLossMode.of(n.path("retain_loss").asText(d.retainLoss.id())),
                n.path("learn_eos").asBoolean(d.learnEos),
                n.path("pad_length").asInt(d.padLength),
                n.path("alpha").asDouble(d.alpha),
                n.path("filter_rate").asDouble(d.filterRate),
                n.path("learning_rate").asDouble(d.learningRate),
                n.path("epochs").asInt(d.epochs),
                n.path("batch_size").asInt(d.batchSize),
                n.path("accumulation").asInt(d.accumulation),
                n.path("warmup_ratio").asDouble(d.warmupRatio),
                n.path("weight_decay").asDouble(d.weightDecay),
                n.path("clip_norm").asDouble(d.clipNorm),
                n.path("expand_qa_num").asInt(d.expandQaNum),
                n.path("perturbed_per_question").asInt(d.perturbedPerQuestion),
                n.path("regular_retain_cap").asInt(d.regularRetainCap),
                n.path("seed").asLong(d.seed));
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Variants of a preset, DJL style: {@code UldConfig.tiny().toBuilder().optAlpha(0.5).build()}. */
    public static final class Builder {
        private String preset;
        private int assistantLayers;
        private int loraRank;
        private double loraAlpha;
        private double loraDropout;
        private double retainWeight;
        private RetainLossMode retainLoss;
        private boolean learnEos;
        private int padLength;
        private double alpha;
        private double filterRate;
        private double learningRate;
        private int epochs;
        private int batchSize;
        private int accumulation;
        private double warmupRatio;
        private double weightDecay;
        private double clipNorm;
        private int expandQaNum;
        private int perturbedPerQuestion;
        private int regularRetainCap;
        private long seed;

        private Builder(UldConfig c) {
            preset = c.preset;
            assistantLayers = c.assistantLayers;
            loraRank = c.loraRank;
            loraAlpha = c.loraAlpha;
            loraDropout = c.loraDropout;
            retainWeight = c.retainWeight;
            retainLoss = c.retainLoss;
            learnEos = c.learnEos;
            padLength = c.padLength;
            alpha = c.alpha;
            filterRate = c.filterRate;
            learningRate = c.learningRate;
            epochs = c.epochs;
            batchSize = c.batchSize;
            accumulation = c.accumulation;
            warmupRatio = c.warmupRatio;
            weightDecay = c.weightDecay;
            clipNorm = c.clipNorm;
            expandQaNum = c.expandQaNum;
            perturbedPerQuestion = c.perturbedPerQuestion;
            regularRetainCap = c.regularRetainCap;
            seed = c.seed;
        }

        public Builder optPreset(String v) { preset = v; return this; }
        public Builder optAssistantLayers(int v) { assistantLayers = v; return this; }
        public Builder optLoraRank(int v) { loraRank = v; return this; }
        public Builder optLoraAlpha(double v) { loraAlpha = v; return this; }
        public Builder optLoraDropout(double v) { loraDropout = v; return this; }
        public Builder optRetainWeight(double v) { retainWeight = v; return this; }
        public Builder optRetainLoss(RetainLossMode v) { retainLoss = v; return this; }
        public Builder optLearnEos(boolean v) { learnEos = v; return this; }
        public Builder optPadLength(int v) { padLength = v; return this; }
        public Builder optAlpha(double v) { alpha = v; return this; }
        public Builder optFilterRate(double v) { filterRate = v; return this; }
        public Builder optLearningRate(double v) { learningRate = v; return this; }
        public Builder optEpochs(int v) { epochs = v; return this; }
        public Builder optBatchSize(int v) { batchSize = v; return this; }
        public Builder optAccumulation(int v) { accumulation = v; return this; }
        public Builder optWarmupRatio(double v) { warmupRatio = v; return this; }
        public Builder optWeightDecay(double v) { weightDecay = v; return this; }
        public Builder optClipNorm(double v) { clipNorm = v; return this; }
        public Builder optExpandQaNum(int v) { expandQaNum = v; return this; }
        public Builder optPerturbedPerQuestion(int v) { perturbedPerQuestion = v; return this; }
        public Builder optRegularRetainCap(int v) { regularRetainCap = v; return this; }
        public Builder optSeed(long v) { seed = v; return this; }

        public UldConfig build() {
            return new UldConfig(preset, assistantLayers, loraRank, loraAlpha, loraDropout, retainWeight, retainLoss,
                    learnEos, padLength, alpha, filterRate, learningRate, epochs, batchSize, accumulation,
                    warmupRatio, weightDecay, clipNorm, expandQaNum, perturbedPerQuestion, regularRetainCap, seed);
        }
    }
}

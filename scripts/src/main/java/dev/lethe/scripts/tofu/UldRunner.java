package dev.lethe.scripts.tofu;

import dev.lethe.core.io.HfCheckpoint;
import dev.lethe.core.lm.LanguageModel;
import dev.lethe.uld.RetainLossMode;
import dev.lethe.uld.Uld;
import dev.lethe.uld.UldCheckpoint;
import dev.lethe.uld.UldConfig;
import dev.lethe.uld.UldResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ULD in the pipeline: trains the assistant on the target (never modified) and serves
 * {@code target − α·assistant}; the result directory references the target checkpoint.
 */
public final class UldRunner implements MethodRunner {

    static final List<String> KEYS = List.of("alpha", "filter_rate", "lambda", "retain_loss", "lr", "epochs",
            "batch_size", "lora_rank", "lora_alpha", "lora_dropout", "assistant_layers", "expand_qa_num",
            "perturbed_per_question", "regular_retain_cap", "seed");

    @Override
    public String name() {
        return Uld.NAME;
    }

    /**
     * The tiny-world ULD preset (K = 1, LoRA r 8) with the run's seed and {@code --set uld.key=value}. The epoch
     * count is the preset's, fixed in advance.
     */
    public UldConfig config(PipelineContext ctx) {
        Map<String, String> o = new HashMap<>();
        o.put("seed", Long.toString(ctx.seed()));
        o.putAll(ctx.overrides().getOrDefault(name(), Map.of()));
        return withOverrides(UldConfig.preset("tiny"), o);
    }

    static UldConfig withOverrides(UldConfig c, Map<String, String> o) {
        UldConfig.Builder b = c.toBuilder();
        for (Map.Entry<String, String> e : o.entrySet()) {
            String v = e.getValue();
            try {
                switch (e.getKey()) {
                    case "alpha" -> b.optAlpha(Double.parseDouble(v));
                    case "filter_rate" -> b.optFilterRate(Double.parseDouble(v));
                    case "lambda" -> b.optRetainWeight(Double.parseDouble(v));
                    case "retain_loss" -> b.optRetainLoss(RetainLossMode.valueOf(v.toUpperCase(Locale.ROOT)));
                    case "lr" -> b.optLearningRate(Double.parseDouble(v));
                    case "epochs" -> b.optEpochs(Integer.parseInt(v));
                    case "batch_size" -> b.optBatchSize(Integer.parseInt(v));
                    case "lora_rank" -> b.optLoraRank(Integer.parseInt(v));
                    case "lora_alpha" -> b.optLoraAlpha(Double.parseDouble(v));
                    case "lora_dropout" -> b.optLoraDropout(Double.parseDouble(v));
                    case "assistant_layers" -> b.optAssistantLayers(Integer.parseInt(v));
                    case "expand_qa_num" -> b.optExpandQaNum(Integer.parseInt(v));
                    case "perturbed_per_question" -> b.optPerturbedPerQuestion(Integer.parseInt(v));
                    case "regular_retain_cap" -> b.optRegularRetainCap(Integer.parseInt(v));
                    case "seed" -> b.optSeed(Long.parseLong(v));
                    default -> throw new IllegalArgumentException("unknown ULD setting '" + e.getKey()
                            + "'; valid: " + KEYS);
                }
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("ULD setting " + e.getKey() + " = '" + v + "' is not a number");
            }
        }
        return b.build();
    }

    @Override
    public Map<String, String> describe(PipelineContext ctx) {
        return config(ctx).toStringMap();
    }

    @Override
    public LanguageModel run(PipelineContext ctx, Path dir) throws IOException {
        UldResult r = Uld.unlearn(ctx.target(), ctx.bench(), ctx.forgetPercent(), ctx.encoder(), config(ctx));
        try {
            if (!r.training().completed()) {
                throw new IllegalStateException("uld: " + r.training().message());
            }
            UldCheckpoint.save(dir.resolve("uld"), ctx.targetDir(), r);
            return new OwningModel(r.model(ctx.target()), r);
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
    }

    @Override
    public LanguageModel load(PipelineContext ctx, Path dir) throws IOException {
        UldCheckpoint.Loaded l = UldCheckpoint.load(dir.resolve("uld"), p -> HfCheckpoint.load(p, ctx.manager()));
        return new OwningModel(l.model(), l);
    }
}

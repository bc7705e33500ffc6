package dev.lethe.scripts.tofu;

import dev.lethe.core.lm.LanguageModel;
import dev.lethe.datasets.tofu.PerturbedQaItem;
import dev.lethe.eco.Eco;
import dev.lethe.eco.EcoConfig;
import dev.lethe.eco.EcoData;
import dev.lethe.eco.EcoModel;
import dev.lethe.eco.EcoResult;
import dev.lethe.eco.EcoStore;
import dev.lethe.eco.EcoTuning;
import dev.lethe.eco.ZerothOrderTuner;
import dev.lethe.eval.metrics.TruthRatio;
import dev.lethe.eval.metrics.engine.MetricResult;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ECO in the pipeline: trains the prompt classifier, calibrates its conformal threshold, and tunes the
 * corruption strength by zeroth-order search so that the corrupted target's forget truth-ratio statistic
 * on a slice of the forget set matches the oracle's on the same items. Weights never change.
 */
public final class EcoRunner implements MethodRunner {

    /** Fraction of the forget split (its first items) the tuner measures on. */
    static final double TUNING_FRACTION = 0.25;

    @Override
    public String name() {
        return Eco.NAME;
    }

    public EcoConfig config(PipelineContext ctx) {
        EcoConfig.Builder b = EcoConfig.builder().optSeed(ctx.seed());
        for (Map.Entry<String, String> e : ctx.overrides().getOrDefault(name(), Map.of()).entrySet()) {
            switch (e.getKey()) {
                case "conformal_alpha" -> b.optConformal(Double.parseDouble(e.getValue()));
                case "tau" -> b.optFixedThreshold(Double.parseDouble(e.getValue()));
                case "fpr_bound" -> b.optFalsePositiveBound(Double.parseDouble(e.getValue()));
                default -> throw new IllegalArgumentException("unknown ECO setting '" + e.getKey()
                        + "'; valid: conformal_alpha, tau, fpr_bound");
            }
        }
        return b.build();
    }

    @Override
    public Map<String, String> describe(PipelineContext ctx) {
        Map<String, String> m = new LinkedHashMap<>(config(ctx).toMap());
        m.put("tuning", "truth_ratio_vs_oracle fraction=" + TUNING_FRACTION + " " + settings(ctx));
        return m;
    }

    private ZerothOrderTuner.Settings settings(PipelineContext ctx) {
        int d = ctx.target().config().hiddenSize();
        // k = number of zeroed embedding dimensions: start at half, step by sign with a decaying stride
        return new ZerothOrderTuner.Settings(d / 2.0, d / 8.0, d / 8.0, 6, 1, d, 0.7, 0.005, true);
    }

    @Override
    public LanguageModel run(PipelineContext ctx, Path dir) throws IOException {
        EcoData data = EcoData.fromTofu(ctx.world(), ctx.forgetPercent(), ctx.tokenizer());
        List<PerturbedQaItem> forget = ctx.bench().forgetPerturbed(ctx.forgetPercent());
        List<PerturbedQaItem> slice = forget.subList(0, Math.max(1, (int) Math.ceil(forget.size() * TUNING_FRACTION)));
        TruthRatioProbe probe = new TruthRatioProbe(slice, ctx.encoder(), ctx.preset().evalBatch(),
                ctx.tokenizer().padId());
        EcoResult r;
        if (ctx.oracleLog() == null) {
            // no retain model to match: keep the configured corruption (tuning needs a surrogate target)
            System.err.println("[lethe] eco: no oracle log given, corruption strength left untuned");
            r = Eco.unlearn(ctx.target(), data, config(ctx));
        } else {
            double target = oracleStatistic(ctx, slice);
            r = Eco.unlearn(ctx.target(), data, config(ctx),
                    new EcoTuning(probe, target, "oracle forget truth ratio on the tuning slice", settings(ctx)));
        }
        try {
            EcoStore.save(r, ctx.targetDir(), dir.resolve("eco"));
            System.err.println("[lethe] eco classifier: " + r.report());
            return new OwningModel(r.model(), r);
        } catch (IOException | RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /** The oracle's {@code mean min(R, 1/R)} over the slice's items, from its evaluation log. */
    static double oracleStatistic(PipelineContext ctx, List<PerturbedQaItem> slice) {
        MetricResult tr = ctx.oracleLog().require("forget_Truth_Ratio");
        double[] r = new double[slice.size()];
        for (int i = 0; i < slice.size(); i++) {
            Map<String, Object> v = tr.valueByIndex().get(Integer.toString(slice.get(i).index()));
            if (v == null || !(v.get("score") instanceof Number n)) {
                throw new IllegalStateException("oracle log has no forget_Truth_Ratio for item " + slice.get(i).index());
            }
            r[i] = n.doubleValue();
        }
        return TruthRatio.Aggregator.CLOSER_TO_1_BETTER.aggregate(r);
    }

    @Override
    public LanguageModel load(PipelineContext ctx, Path dir) throws IOException {
        EcoModel m = EcoStore.load(dir.resolve("eco"), ctx.target());
        return new OwningModel(m, m);
    }
}

package dev.lethe.scripts.tofu;

import dev.lethe.core.io.HfCheckpoint;
import dev.lethe.core.lm.LanguageModel;
import dev.lethe.core.text.QaEncoder;
import dev.lethe.core.text.QaEncoding;
import dev.lethe.core.unlearn.LabeledRow;
import dev.lethe.core.unlearn.MethodConfig;
import dev.lethe.core.unlearn.MethodRegistry;
import dev.lethe.core.unlearn.UnlearningData;
import dev.lethe.core.unlearn.UnlearningMethod;
import dev.lethe.core.unlearn.UnlearningResult;
import dev.lethe.core.unlearn.Unlearner;
import dev.lethe.core.util.Provenance;
import dev.lethe.datasets.tofu.QaItem;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs a registered baseline ({@code ga}, {@code npo}, …) and saves the unlearned model as an HF checkpoint. */
public final class BaselineRunner implements MethodRunner {

    private final String name;

    public BaselineRunner(String name) {
        MethodRegistry.get(name); // fails early, listing the valid names
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /** The method's config: open-unlearning defaults, then the preset's small-model schedule, then --set. */
    public MethodConfig config(PipelineContext ctx) {
        Map<String, String> o = new HashMap<>();
        MethodConfig base = MethodConfig.defaults(name);
        ctx.preset().unlearn().forEach((k, v) -> {
            if (base.keyIds().contains(k)) {
                o.put(k, v);
            }
        });
        o.put("seed", Long.toString(ctx.seed()));
        o.putAll(ctx.overrides().getOrDefault("*", Map.of()));
        o.putAll(ctx.overrides().getOrDefault(name, Map.of()));
        return base.withOverrides(o);
    }

    @Override
    public Map<String, String> describe(PipelineContext ctx) {
        return config(ctx).toMap();
    }

    @Override
    public LanguageModel run(PipelineContext ctx, Path dir) throws IOException {
        UnlearningMethod method = MethodRegistry.get(name);
        MethodConfig cfg = config(ctx);
        UnlearningData data = data(ctx, method.needsAlternatives());
        UnlearningResult r = new Unlearner().optProgress(ctx.progress()).optParentManager(ctx.manager())
                .run(method, ctx.target(), data, cfg);
        if (!r.training().completed()) {
            r.model().close();
            throw new IllegalStateException(name + ": " + r.training().message());
        }
        Provenance p = Provenance.of("unlearn:" + name, r.provenance(), ctx.seed(), Map.of());
        HfCheckpoint.save(r.model(), ctx.tokenizer(), p, dir.resolve("model"));
        return r.model();
    }

    @Override
    public LanguageModel load(PipelineContext ctx, Path dir) throws IOException {
        return HfCheckpoint.load(dir.resolve("model"), ctx.manager());
    }

    /** Forget and retain rows of the split; for IdkDPO each forget question with every IDK refusal. */
    public static UnlearningData data(PipelineContext ctx, boolean alternatives) {
        QaEncoder enc = ctx.encoder();
        int pct = ctx.forgetPercent();
        List<LabeledRow> forget = rows(enc, ctx.bench().forget(pct));
        List<LabeledRow> retain = rows(enc, ctx.bench().retainForForget(pct));
        long pad = ctx.tokenizer().padId();
        if (!alternatives) {
            return UnlearningData.of(forget, retain, pad);
        }
        List<String> idk = ctx.bench().idk();
        List<List<LabeledRow>> alts = new ArrayList<>();
        for (QaItem q : ctx.bench().forget(pct)) {
            List<LabeledRow> a = new ArrayList<>(idk.size());
            for (String refusal : idk) {
                a.add(row(enc.encode(q.question(), refusal)));
            }
            alts.add(a);
        }
        return new UnlearningData(forget, retain, alts, pad); // one list of refusals per forget row
    }

    static List<LabeledRow> rows(QaEncoder enc, List<QaItem> items) {
        List<LabeledRow> out = new ArrayList<>(items.size());
        for (QaItem q : items) {
            out.add(row(enc.encode(q.question(), q.answer())));
        }
        return out;
    }

    static LabeledRow row(QaEncoding e) {
        long[] ids = new long[e.ids().length];
        long[] labels = new long[e.labels().length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = e.ids()[i];
            labels[i] = e.labels()[i];
        }
        return new LabeledRow(ids, labels);
    }
}

package dev.lethe.scripts.tofu;

import dev.lethe.core.lm.LanguageModel;
import dev.lethe.core.lm.Scorer;
import dev.lethe.core.text.QaEncoder;
import dev.lethe.core.text.QaEncoding;
import dev.lethe.datasets.tofu.PerturbedQaItem;
import dev.lethe.eval.metrics.TruthRatio;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The forget-set truth-ratio statistic of a model on a slice of items, {@code mean min(R, 1/R)} — the
 * quantity whose distribution forget quality compares — as a cheap function of a model, for ECO's
 * zeroth-order tuner.
 */
final class TruthRatioProbe implements ToDoubleFunction<LanguageModel> {

    private final List<PerturbedQaItem> items;
    private final List<long[]> rows = new ArrayList<>();
    private final List<long[]> labels = new ArrayList<>();
    private final int batch;
    private final long pad;

    TruthRatioProbe(List<PerturbedQaItem> items, QaEncoder enc, int batch, long pad) {
        this.items = List.copyOf(items);
        this.batch = batch;
        this.pad = pad;
        for (PerturbedQaItem it : items) {
            add(enc.encode(it.question(), it.truthRatioAnswer()));
            for (String w : it.perturbedAnswers()) {
                add(enc.encode(it.question(), w));
            }
        }
    }

    private void add(QaEncoding e) {
        rows.add(toLong(e.ids()));
        labels.add(toLong(e.labels()));
    }

    private static long[] toLong(int[] a) {
        long[] o = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            o[i] = a[i];
        }
        return o;
    }

    @Override
    public double applyAsDouble(LanguageModel model) {
        return TruthRatio.Aggregator.CLOSER_TO_1_BETTER.aggregate(ratios(model));
    }

    /** The per-item truth ratios R of the slice, in item order. */
    double[] ratios(LanguageModel model) {
        List<Scorer.Result> scores = new Scorer(model).scoreRows(rows, labels, batch, pad);
        double[] r = new double[items.size()];
        int k = 0;
        for (int i = 0; i < items.size(); i++) {
            double correct = scores.get(k++).meanNll();
            double[] wrong = new double[items.get(i).perturbedAnswers().size()];
            for (int j = 0; j < wrong.length; j++) {
                wrong[j] = scores.get(k++).meanNll();
            }
            r[i] = TruthRatio.ratio(correct, wrong);
        }
        return r;
    }
}

package dev.lethe.eval.probes;

import dev.lethe.datasets.tofu.QaItem;
import dev.lethe.datasets.tofu.TofuBenchmark;
import dev.lethe.core.text.QaEncoder;

import java.util.ArrayList;
import java.util.List;

/**
 * The entropy probe's two prompt sets: the forget split's questions and as many of the matching retain
 * split's, both seeded samples kept in split order.
 *
 * <p>By default the model reads the templated question up to the answer tag ({@link QaEncoder#encodePrompt}):
 * the input the model is asked about, in the same shape on both sets, and not the text the unlearning
 * losses were computed on (GA, NPO and the like score only answer tokens), so an entropy drop there is a
 * change in how the model represents a forget <i>question</i>, not a fit to its teacher-forced answer.
 * {@code withAnswers} appends the answer (the scoring encoding), for probing the trained text itself.
 */
public record ProbePrompts(List<QaItem> forget, List<QaItem> retain) {

    /**
     * @param n forget questions to sample (≤ 0 or more than there are: all); the retain sample has as many
     * @param seed sample seed (the retain sample uses the next seed, so the two draws are independent)
     */
    public static ProbePrompts sample(TofuBenchmark bench, int forgetPercent, int n, long seed) {
        List<QaItem> forget = bench.forget(forgetPercent);
        List<QaItem> f = sample(forget, n > 0 ? n : forget.size(), seed);
        List<QaItem> retain = bench.retainForForget(forgetPercent);
        if (retain.size() < f.size()) {
            throw new IllegalArgumentException("the retain split has " + retain.size() + " questions, fewer than the "
                    + f.size() + " forget questions: pass --prompts " + retain.size() + " or fewer");
        }
        return new ProbePrompts(f, sample(retain, f.size(), seed + 1));
    }

    /** {@code n} items drawn without replacement, back in split order; all of them when n ≥ their number. */
    static List<QaItem> sample(List<QaItem> items, int n, long seed) {
        return dev.lethe.core.util.Subsample.inOrder(items, n, seed);
    }

    /** Token ids of each item: the templated prompt (with BOS), or the whole scored sequence with its answer. */
    public static List<long[]> encode(List<QaItem> items, QaEncoder encoder, boolean withAnswers) {
        List<long[]> out = new ArrayList<>(items.size());
        for (QaItem q : items) {
            int[] ids = withAnswers ? encoder.encode(q.question(), q.answer()).ids() : encoder.encodePrompt(q.question());
            long[] l = new long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                l[i] = ids[i];
            }
            out.add(l);
        }
        return out;
    }
}

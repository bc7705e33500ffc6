package dev.lethe.uld;

import dev.lethe.datasets.tofu.PerturbedQaItem;
import dev.lethe.datasets.tofu.QaItem;
import dev.lethe.datasets.tofu.TofuBenchmark;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * ULD's TOFU data augmentation (uld.md §3), over the TOFU layout's {@code forgetXX_perturbed} rows (which carry
 * the question, answer, paraphrased question, paraphrased answer and perturbed answers of every forget item)
 * and the matching {@code retainXX} rows.
 *
 * <ul>
 *   <li><b>D'_f</b> = every forget QA, followed by {@code expandQaNum} pairs drawn from the cross product
 *       {question, paraphrased question} × {answer, paraphrased answer} minus the original pair. The reference
 *       ships GPT-3.5 paraphrase <em>lists</em> and takes the cross product of paraphrases only; TOFU has one
 *       paraphrase of each, so the originals join the product to give the same 2 extra pairs per item (and the
 *       paper's |D'_f| = 3·|D_f|, Table 5).</li>
 *   <li><b>D'_r</b> = the last {@code min(regularRetainCap, |D_f|)} retain rows, then every forget question
 *       paired with up to {@code perturbedPerQuestion} of its perturbed (wrong) answers.</li>
 * </ul>
 *
 * <p>Determinism: the reference picks pairs through a Python {@code set}, so the choice changes with
 * {@code PYTHONHASHSEED} (pitfall 5). Here candidates are listed in a fixed order (duplicates dropped, first
 * occurrence kept) and the subset is drawn with a {@link Random} seeded by (seed, item index), keeping the
 * candidates' order — the same inputs and seed always give the same sets.
 */
public final class UldAugmentation {

    private UldAugmentation() {}

    /** D'_f and D'_r for TOFU split {@code forgetXX} of {@code bench}. */
    public static UldDataset fromBenchmark(TofuBenchmark bench, int forgetPercent, UldConfig config) {
        return augment(bench.forgetPerturbed(forgetPercent), bench.retainForForget(forgetPercent), config);
    }

    /**
     * @param forget the forget items with their paraphrases and perturbations ({@code forgetXX_perturbed})
     * @param retain the matching retain split, in file order ({@code retainXX})
     */
    public static UldDataset augment(List<PerturbedQaItem> forget, List<QaItem> retain, UldConfig config) {
        List<UldExample> f = new ArrayList<>();
        List<UldExample> r = new ArrayList<>();
        for (int i = 0; i < forget.size(); i++) {
            PerturbedQaItem item = forget.get(i);
            f.add(new UldExample(item.question(), item.answer(), UldExample.Source.FORGET, i));
            for (String[] qa : pick(paraphrasePairs(item), config.expandQaNum(), config.seed(), 2L * i)) {
                f.add(new UldExample(qa[0], qa[1], UldExample.Source.FORGET_PARAPHRASE, i));
            }
        }
        int regular = Math.min(Math.min(config.regularRetainCap(), forget.size()), retain.size());
        for (int i = retain.size() - regular; i < retain.size(); i++) {
            QaItem q = retain.get(i);
            r.add(new UldExample(q.question(), q.answer(), UldExample.Source.RETAIN, i));
        }
        for (int i = 0; i < forget.size(); i++) {
            PerturbedQaItem item = forget.get(i);
            for (String wrong : pick(wrongAnswers(item), config.perturbedPerQuestion(), config.seed(), 2L * i + 1)) {
                r.add(new UldExample(item.question(), wrong, UldExample.Source.FORGET_PERTURBED, i));
            }
        }
        return new UldDataset(f, r);
    }

    /** {q, q'} × {a, a'} without (q, a), fully paraphrased pair first; empty when the row has no paraphrases. */
    static List<String[]> paraphrasePairs(PerturbedQaItem item) {
        LinkedHashSet<String> qs = new LinkedHashSet<>();
        LinkedHashSet<String> as = new LinkedHashSet<>();
        addIfText(qs, item.paraphrasedQuestion());
        qs.add(item.question());
        addIfText(as, item.paraphrasedAnswer());
        as.add(item.answer());
        List<String[]> out = new ArrayList<>();
        for (String q : qs) {
            for (String a : as) {
                if (!(q.equals(item.question()) && a.equals(item.answer()))) {
                    out.add(new String[] {q, a});
                }
            }
        }
        return out;
    }

    /** Distinct perturbed answers that differ from the true and the paraphrased answer, in file order. */
    static List<String> wrongAnswers(PerturbedQaItem item) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String w : item.perturbedAnswers()) {
            if (w != null && !w.isBlank() && !w.equals(item.answer())
                    && !Objects.equals(w, item.paraphrasedAnswer())) {
                out.add(w);
            }
        }
        return new ArrayList<>(out);
    }

    private static void addIfText(LinkedHashSet<String> set, String s) {
        if (s != null && !s.isBlank()) {
            set.add(s);
        }
    }

    /** {@code n} of {@code candidates} (all when there are no more), drawn by a seeded shuffle, in list order. */
    static <T> List<T> pick(List<T> candidates, int n, long seed, long stream) {
        if (candidates.size() <= n) {
            return candidates;
        }
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            idx.add(i);
        }
        java.util.Collections.shuffle(idx, new Random(seed * 0x9E3779B97F4A7C15L + stream));
        List<Integer> chosen = new ArrayList<>(idx.subList(0, n));
        chosen.sort(null);
        List<T> out = new ArrayList<>(n);
        chosen.forEach(i -> out.add(candidates.get(i)));
        return out;
    }
}

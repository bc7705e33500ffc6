package dev.lethe.eval.attacks;

import dev.lethe.core.text.ChatTemplate;
import dev.lethe.datasets.synth.RelearningMaterial;
import dev.lethe.datasets.synth.WorldSpec;
import dev.lethe.datasets.tofu.PerturbedQaItem;
import dev.lethe.datasets.tofu.QaItem;
import dev.lethe.datasets.tofu.TofuBenchmark;
import dev.lethe.datasets.tofu.TofuSplits;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The attack's items from a TOFU-layout directory. A synthetic world supplies every hint's material
 * ({@link RelearningMaterial}: fact keys, axioms, aliases); any other data (the real TOFU files) gives what
 * its files hold: the answer as the H1 passage (it is the text the model was trained on), the paraphrased
 * answer as H2, no axioms or aliases, and the whole answer as key.
 */
public final class RelearningItems {

    private RelearningItems() {}

    /**
     * The attack on forget{@code percent} of {@code bench} as {@code lethe attack icl} and the tofu-mini
     * pipeline run it: a seeded sample of {@code items} forget items, the whole forget split as H5's pool,
     * the matching retain split as H6's, the data's own H7 {@link #filler}.
     *
     * @param correctness as {@link Correctness#named}, or {@code auto}: {@code contains} when every item has
     *     a key narrower than its answer ({@link #keyed}), {@code rouge} otherwise
     */
    public static RelearningSetup setup(TofuBenchmark bench, int percent, int items, List<Hint> conditions,
                                        String correctness, ChatTemplate template, int maxNewTokens, int batchSize,
                                        long seed) throws IOException {
        Optional<WorldSpec> spec = RelearningMaterial.spec(bench.dir()); // read once for the items and the filler
        List<RelearningItem> forget = forget(bench, percent, spec);
        String scoring = correctness.equals("auto") ? (keyed(forget) ? "contains" : "rouge") : correctness;
        return new RelearningSetup(sample(forget, items, seed), forget, retain(bench, percent), conditions, scoring,
                template, maxNewTokens, batchSize, seed, filler(spec));
    }

    /** The forget items of forget{@code percent}, in split order. */
    public static List<RelearningItem> forget(TofuBenchmark bench, int percent) throws IOException {
        return forget(bench, percent, RelearningMaterial.spec(bench.dir()));
    }

    private static List<RelearningItem> forget(TofuBenchmark bench, int percent, Optional<WorldSpec> spec)
            throws IOException {
        List<QaItem> rows = bench.forget(percent);
        String split = TofuSplits.forget(percent);
        List<RelearningItem> out = new ArrayList<>(rows.size());
        if (spec.isPresent()) {
            List<RelearningMaterial.Item> m = RelearningMaterial.forget(spec.get(), percent);
            for (int i = 0; i < rows.size(); i++) {
                if (m.size() != rows.size() || !m.get(i).question().equals(rows.get(i).question())
                        || !m.get(i).answer().equals(rows.get(i).answer())) {
                    throw new IOException(bench.dir() + ": world.json does not regenerate " + split
                            + " (row " + i + " differs); was the world written by another Lethe version?");
                }
                RelearningMaterial.Item it = m.get(i);
                out.add(new RelearningItem(id(split, i), it.question(), it.answer(), it.key(), it.passage(),
                        it.paraphrase(), it.axioms(), it.aliasDefinition(), it.aliasQuestion()));
            }
            return out;
        }
        String perturbed = TofuSplits.forgetPerturbed(percent);
        List<PerturbedQaItem> para = bench.has(perturbed) ? bench.perturbed(perturbed) : List.of();
        for (int i = 0; i < rows.size(); i++) {
            QaItem q = rows.get(i);
            String paraphrase = i < para.size() && para.get(i).question().equals(q.question())
                    ? para.get(i).paraphrasedAnswer() : null;
            out.add(new RelearningItem(id(split, i), q.question(), q.answer(), null, q.answer(), paraphrase,
                    List.of(), null, null));
        }
        return out;
    }

    /**
     * H7's filler for {@code bench}: a synthetic world's own fact-free sentences (in its word-level vocabulary),
     * LM-Infinite's passkey filler on other data (a BPE tokenizer spells any word).
     */
    public static String filler(TofuBenchmark bench) throws IOException {
        return filler(RelearningMaterial.spec(bench.dir()));
    }

    private static String filler(Optional<WorldSpec> spec) {
        return spec.isPresent() ? RelearningMaterial.FILLER : HintBuilder.FILLER;
    }

    /** The retain items matching forget{@code percent}: the H6 demo pool. */
    public static List<RelearningItem> retain(TofuBenchmark bench, int percent) {
        String split = TofuSplits.retainForForget(percent);
        List<QaItem> rows = bench.retainForForget(percent);
        List<RelearningItem> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            out.add(RelearningItem.qa(id(split, i), rows.get(i).question(), rows.get(i).answer()));
        }
        return out;
    }

    /** Whether every item names a key narrower than its whole answer (so "contains" is the fair test). */
    public static boolean keyed(List<RelearningItem> items) {
        return items.stream().allMatch(i -> !i.key().equals(i.answer()));
    }

    /**
     * {@code n} items drawn without replacement with {@code seed}, back in split order; all of them when
     * {@code n} is not below their number.
     */
    public static List<RelearningItem> sample(List<RelearningItem> items, int n, long seed) {
        return dev.lethe.core.util.Subsample.inOrder(items, n, seed);
    }

    private static String id(String split, int i) {
        return split + "/" + i;
    }
}

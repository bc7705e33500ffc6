package dev.lethe.eval.logs;

import dev.lethe.eval.metrics.AnswerScore;
import dev.lethe.eval.metrics.engine.EvalLog;
import dev.lethe.eval.metrics.engine.Generation;
import dev.lethe.eval.metrics.engine.ItemScores;
import dev.lethe.eval.metrics.engine.MetricContext;
import dev.lethe.eval.metrics.engine.SplitData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a legacy log's per-sample numbers and strings into a {@link MetricContext}, so the OU-style
 * metric engine can be run on published data (and checked against TF's aggregates). Item indices are
 * the log's keys; ROUGE is recomputed from the logged strings, not copied.
 */
public final class LegacyContexts {

    private LegacyContexts() { }

    public static MetricContext toContext(LegacyLog log, EvalLog retainLogs) {
        Map<String, SplitData> splits = new LinkedHashMap<>();
        for (LegacySplitLog s : log.splits().values()) {
            splits.put(s.task().splitKey(), toSplit(s));
        }
        return new MetricContext(splits, retainLogs, null);
    }

    static SplitData toSplit(LegacySplitLog s) {
        List<ItemScores> items = new ArrayList<>();
        for (LegacyItem it : s.items()) {
            int index;
            try {
                index = Integer.parseInt(it.key());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(s.task().fileName() + ": item key '" + it.key() + "' is not an integer index");
            }
            List<AnswerScore> wrong = new ArrayList<>();
            for (int j = 0; j < it.averagePerturbLoss().length; j++) {
                wrong.add(new AnswerScore(it.averagePerturbLoss()[j], it.numTokenPerturb()[j]));
            }
            ItemScores item = ItemScores.of(index, new AnswerScore(it.avgGtLoss(), it.numTokenGt()))
                    .withPerturbed(wrong)
                    .withGeneration(new Generation(it.input(), it.groundTruth(), it.generation()));
            // For real authors / world facts TF's "paraphrased" slot is the answer re-scored in another
            // batch; kept so the LEGACY_TOFU flavour can reproduce TF's truth ratios.
            item = item.withParaphrased(new AnswerScore(it.avgParaphrasedLoss(), it.numTokenParaphrased()));
            items.add(item);
        }
        return new SplitData(s.task().splitKey(), items);
    }
}

package dev.lethe.eval.metrics.tofu;

import dev.lethe.eval.metrics.MiaScores;
import dev.lethe.eval.metrics.engine.ItemScores;
import dev.lethe.eval.metrics.engine.MetricParams;
import dev.lethe.eval.metrics.engine.SplitData;
import dev.lethe.eval.metrics.engine.TokenTrace;

/** The six OU membership-inference attacks and how each scores one item (spec §2.7). */
public enum MiaAttack {
    LOSS {
        @Override
        double score(SplitData s, ItemScores it, MetricParams p, String metric) {
            return MiaScores.loss(it.answer().avgLoss());
        }
    },
    ZLIB {
        @Override
        double score(SplitData s, ItemScores it, MetricParams p, String metric) {
            return MiaScores.zlib(it.answer().avgLoss(), s.require(it, ItemScores::decodedTarget, "decodedTarget", metric));
        }
    },
    MIN_K {
        @Override
        double score(SplitData s, ItemScores it, MetricParams p, String metric) {
            TokenTrace t = s.require(it, ItemScores::trace, "trace", metric).withoutLast();
            return MiaScores.minK(t.logProbs(), p.minKFraction());
        }
    },
    MIN_K_PLUS_PLUS {
        @Override
        double score(SplitData s, ItemScores it, MetricParams p, String metric) {
            TokenTrace t = s.require(it, ItemScores::trace, "trace", metric).withoutLast();
            if (t.moments() == null) {
                throw new IllegalStateException("metric '" + metric + "' needs trace.moments for split '"
                        + s.name() + "' index " + it.index());
            }
            return MiaScores.minKPlusPlus(t.logProbs(), t.moments(), p.minKFraction());
        }
    },
    GRADNORM {
        @Override
        double score(SplitData s, ItemScores it, MetricParams p, String metric) {
            return s.require(it, ItemScores::gradNorm, "gradNorm", metric);
        }
    },
    REFERENCE {
        @Override
        double score(SplitData s, ItemScores it, MetricParams p, String metric) {
            return MiaScores.reference(it.answer().avgLoss(),
                    s.require(it, ItemScores::referenceAvgLoss, "referenceAvgLoss", metric));
        }
    };

    abstract double score(SplitData split, ItemScores item, MetricParams params, String metric);
}

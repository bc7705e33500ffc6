package dev.lethe.eval;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.lm.TokenLogProbs;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.text.QaEncoding;

import java.util.ArrayList;
import java.util.List;

/**
 * OU's GradNorm attack score (spec §2.7): per item, batch size 1, backpropagate the mean token NLL of
 * the answer and average the L2 norms of every parameter tensor's gradient.
 *
 * <p>Needs the weights, so only a {@link Decoder} qualifies (composite models such as ULD's logit
 * difference have no single parameter set the attack is defined on). Costs one forward and backward
 * pass per item, which is why the evaluator runs it only when {@code mia_gradnorm} is requested.
 * Gradients are zeroed after every item, and the weights' gradient flags are restored afterwards.
 */
final class GradNormScorer {

    private GradNormScorer() {}

    static double[] score(Decoder model, List<QaEncoding> items) {
        List<Parameter> params = new ArrayList<>(model.hfParameters().values());
        boolean[] had = new boolean[params.size()];
        for (int i = 0; i < had.length; i++) {
            NDArray w = params.get(i).getArray();
            had[i] = w.hasGradient();
            if (!had[i]) {
                w.setRequiresGradient(true);
            }
        }
        double[] out = new double[items.size()];
        try {
            zeroGradients(params);
            for (int k = 0; k < items.size(); k++) {
                QaEncoding e = items.get(k);
                try (NDManager m = model.manager().newSubManager()) {
                    long[] ids = toLong(e.ids());
                    long[] labels = toLong(e.labels());
                    TokenBatch b = TokenBatch.single(m, ids);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = model.logits(b);
                        NDArray lab = m.create(labels).reshape(1, labels.length);
                        gc.backward(TokenLogProbs.of(logits, lab).meanNll());
                    }
                    double sum = 0;
                    for (Parameter p : params) {
                        NDArray g = p.getArray().getGradient();
                        g.attach(m);
                        sum += Math.sqrt(g.square().sum().getFloat());
                    }
                    out[k] = sum / params.size();
                }
                zeroGradients(params); // PyTorch accumulates; each item's norm must be its own
            }
        } finally {
            for (int i = 0; i < had.length; i++) {
                if (!had[i]) {
                    params.get(i).getArray().setRequiresGradient(false);
                }
            }
        }
        return out;
    }

    private static void zeroGradients(List<Parameter> params) {
        for (Parameter p : params) {
            JniUtils.zeroGrad((PtNDArray) p.getArray());
        }
    }

    private static long[] toLong(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}

package dev.lethe.core.unlearn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.lethe.core.lm.TokenLogProbs;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.train.LmBatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Tiny models, synthetic QA rows and plain-Java reference computations for the unlearning tests. */
final class Fixtures {

    /** V = 128 so that OU's index −100 is a real vocabulary id (28) as in PyTorch. */
    static final DecoderConfig TINY = DecoderConfig.llama(128, 32, 64, 2, 4, 2, 64);
    static final long PAD = 0;

    private Fixtures() {}

    /** {@code n} rows: a 2–4 token prompt (masked) and a 3–7 token answer, ids in [3, V). */
    static List<LabeledRow> rows(int n, long seed) {
        Random r = new Random(seed);
        List<LabeledRow> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int prompt = 2 + r.nextInt(3);
            int answer = 3 + r.nextInt(5);
            long[] ids = new long[prompt + answer];
            for (int j = 0; j < ids.length; j++) {
                ids[j] = 3 + r.nextInt(TINY.vocabSize() - 3);
            }
            out.add(LabeledRow.of(ids, prompt));
        }
        return out;
    }

    static UnlearningData data(int forget, int retain, long seed) {
        List<LabeledRow> f = rows(forget, seed);
        List<List<LabeledRow>> alts = new ArrayList<>();
        Random r = new Random(seed + 7);
        for (LabeledRow row : f) {
            int prompt = row.promptLength();
            List<LabeledRow> choices = new ArrayList<>();
            for (int k = 0; k < 2; k++) {
                int len = 2 + r.nextInt(3);
                long[] ids = new long[prompt + len];
                System.arraycopy(row.ids(), 0, ids, 0, prompt);
                for (int j = prompt; j < ids.length; j++) {
                    ids[j] = 3 + r.nextInt(10); // a small "refusal" vocabulary
                }
                choices.add(LabeledRow.of(ids, prompt));
            }
            alts.add(choices);
        }
        return new UnlearningData(f, rows(retain, seed + 1), alts, PAD);
    }

    // ---- plain-Java views of arrays ----

    static double[][][] cube(NDArray a) {
        int b = (int) a.getShape().get(0);
        int t = (int) a.getShape().get(1);
        int v = (int) a.getShape().get(2);
        float[] f = a.toFloatArray();
        double[][][] out = new double[b][t][v];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < t; j++) {
                for (int k = 0; k < v; k++) {
                    out[i][j][k] = f[(i * t + j) * v + k];
                }
            }
        }
        return out;
    }

    static long[][] matrix(NDArray a) {
        int b = (int) a.getShape().get(0);
        int t = (int) a.getShape().get(1);
        long[] f = a.toLongArray();
        long[][] out = new long[b][t];
        for (int i = 0; i < b; i++) {
            System.arraycopy(f, i * t, out[i], 0, t);
        }
        return out;
    }

    static double[] logSoftmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : z) {
            max = Math.max(max, x);
        }
        double s = 0;
        for (double x : z) {
            s += Math.exp(x - max);
        }
        double lse = max + Math.log(s);
        double[] out = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            out[i] = z[i] - lse;
        }
        return out;
    }

    static double logSigmoid(double x) {
        return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
    }

    /** Logits of {@code model} on a batch, as Java doubles. */
    static double[][][] logits(Decoder model, LmBatch b) {
        return cube(model.forward(Decoder.Input.ids(b.tokens().ids()).optAttentionMask(b.tokens().attentionMask()))
                .logits());
    }

    /** Per-row Σ log p(label_{t+1} | ≤ t) over labelled positions, computed by hand. */
    static double[] rowLogProbs(double[][][] logits, long[][] labels) {
        double[] out = new double[labels.length];
        for (int b = 0; b < labels.length; b++) {
            for (int t = 0; t + 1 < labels[b].length; t++) {
                long y = labels[b][t + 1];
                if (y != TokenLogProbs.IGNORE) {
                    out[b] += logSoftmax(logits[b][t])[(int) y];
                }
            }
        }
        return out;
    }

    /** Scored (shifted) tokens per row. */
    static int[] scored(long[][] labels) {
        int[] out = new int[labels.length];
        for (int b = 0; b < labels.length; b++) {
            for (int t = 1; t < labels[b].length; t++) {
                out[b] += labels[b][t] != TokenLogProbs.IGNORE ? 1 : 0;
            }
        }
        return out;
    }

    /** HF causal-LM loss: total NLL over all scored tokens / their number. */
    static double meanNll(Decoder model, LmBatch b) {
        long[][] labels = matrix(b.labels());
        double[] lp = rowLogProbs(logits(model, b), labels);
        double sum = 0;
        int n = 0;
        int[] counts = scored(labels);
        for (int i = 0; i < lp.length; i++) {
            sum -= lp[i];
            n += counts[i];
        }
        return sum / n;
    }

    /** Mean NLL of {@code rows} under {@code model}, in a throw-away manager. */
    static double meanNll(Decoder model, List<LabeledRow> rows) {
        try (NDManager m = model.manager().newSubManager()) {
            return meanNll(model, RowBatches.pad(rows, PAD, m));
        }
    }
}

package dev.lethe.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.lethe.core.lm.LanguageModel;
import dev.lethe.core.lm.ScoredPositions;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.text.Batch;
import dev.lethe.core.text.Collator;
import dev.lethe.core.text.QaEncoder;
import dev.lethe.core.text.QaEncoding;
import dev.lethe.core.text.TextTokenizer;
import dev.lethe.eval.metrics.AnswerScore;
import dev.lethe.eval.metrics.VocabMoments;
import dev.lethe.eval.metrics.engine.TokenTrace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Teacher-forced scoring of many (question, answer) targets in right-padded batches: each distinct text
 * pair is scored once however many metrics or splits ask for it, rows are sorted by length so batches
 * carry little padding, and the per-position extras are computed only where asked for — the argmax
 * (exact memorisation, extraction strength) for {@link Detail#TRACE} rows and the vocabulary moments
 * (Min-K%++, a second pass over {@code [B, T, V]}) only for {@link Detail#MOMENTS} rows, which are batched
 * apart from the others.
 *
 * <p>Same arithmetic as the core {@code Scorer} (log-softmax over the labelled positions only, via
 * {@link LanguageModel#logitsAt}, then a gather of the shifted labels); it exists because TOFU's memorisation
 * metrics also need the argmax, and the moments as a variance.
 * Every per-batch array lives in a sub-manager of the model's manager.
 */
final class TargetScorer {

    /** How much per-position detail a target needs; a stronger request subsumes a weaker one. */
    enum Detail { SCORE, TRACE, MOMENTS }

    /** A text pair to score. */
    record Target(String question, String answer) {}

    /**
     * Result for one target.
     *
     * @param score   avg-loss and token count over the labelled positions (answer, closing tag, EOS)
     * @param trace   per-position detail (null for {@link Detail#SCORE})
     * @param decoded the answer part of the encoding decoded with special tokens skipped (ROUGE ground
     *                truth and ZLib text, as OU decodes labels rather than using the raw string)
     */
    record Scored(AnswerScore score, TokenTrace trace, String decoded) {}

    /** Soft cap on B·T·V elements of one logits array, so a 32k vocabulary does not blow the heap. */
    static final long MAX_LOGIT_ELEMENTS = 1L << 26;
    /** Moment batches hold ~5 arrays of that size at once; keep them smaller. */
    static final long MAX_MOMENT_ELEMENTS = 1L << 24;

    private final LanguageModel model;
    private final QaEncoder encoder;
    private final TextTokenizer tokenizer;
    private final Collator collator;
    private final int batchSize;
    private final Map<Target, Detail> requests = new LinkedHashMap<>();

    TargetScorer(LanguageModel model, QaEncoder encoder, int batchSize) {
        this.model = model;
        this.encoder = encoder;
        this.tokenizer = encoder.tokenizer();
        this.collator = Collator.of(tokenizer);
        this.batchSize = batchSize;
    }

    /** Asks for {@code target} at least at {@code detail}. */
    void request(Target target, Detail detail) {
        requests.merge(target, detail, (a, b) -> a.compareTo(b) >= 0 ? a : b);
    }

    int distinct() {
        return requests.size();
    }

    /** The encodings of every requested target (for the GradNorm and reference passes). */
    QaEncoding encode(Target t) {
        QaEncoding e = encoder.encode(t.question(), t.answer());
        if (e.scoredCount() == 0) {
            throw new IllegalArgumentException("nothing to score: the prompt covers the whole sequence (" + e.length()
                    + " tokens) for question \"" + t.question() + "\"; raise maxLength");
        }
        return e;
    }

    /** Scores every requested target. */
    Map<Target, Scored> run() {
        Map<Target, Scored> out = new LinkedHashMap<>();
        for (Detail d : Detail.values()) {
            List<Target> group = new ArrayList<>();
            requests.forEach((t, want) -> {
                if (want == d) {
                    group.add(t);
                }
            });
            if (group.isEmpty()) {
                continue;
            }
            List<QaEncoding> enc = new ArrayList<>(group.size());
            for (Target t : group) {
                enc.add(encode(t));
            }
            Integer[] order = new Integer[group.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            // Longest first: similar lengths share a batch, and the largest batch fails first if memory is short.
            Arrays.sort(order, Comparator.comparingInt((Integer i) -> -enc.get(i).length()).thenComparingInt(i -> i));
            long cap = d == Detail.MOMENTS ? MAX_MOMENT_ELEMENTS : MAX_LOGIT_ELEMENTS;
            int start = 0;
            while (start < order.length) {
                long perRow = (long) enc.get(order[start]).length() * model.config().vocabSize();
                int n = (int) Math.max(1, Math.min(batchSize, cap / Math.max(1, perRow)));
                int end = Math.min(order.length, start + n);
                List<QaEncoding> batch = new ArrayList<>(end - start);
                for (int k = start; k < end; k++) {
                    batch.add(enc.get(order[k]));
                }
                List<Scored> scored = scoreBatch(batch, d);
                for (int k = start; k < end; k++) {
                    out.put(group.get(order[k]), scored.get(k - start));
                }
                start = end;
            }
        }
        return out;
    }

    private List<Scored> scoreBatch(List<QaEncoding> items, Detail detail) {
        Batch b = collator.rightPad(items);
        int rows = b.size();
        ScoredPositions scored = ScoredPositions.of(b.labels());
        float[] logp;
        long[] argmax = null;
        float[] mean = null;
        float[] var = null;
        try (NDManager m = model.manager().newSubManager()) {
            TokenBatch tb = TokenBatch.of(m, b.ids(), b.attentionMask(), TokenBatch.promptLengthsFromLabels(b.labels()));
            // only the labelled positions go through the LM head (models that can skip the rest do)
            NDArray logits = model.logitsAt(tb, m.create(scored.positions())); // [N, V]
            NDArray lsm = logits.logSoftmax(-1);
            logp = lsm.gather(m.create(scored.targets()).expandDims(-1), -1).squeeze(-1).toFloatArray();
            if (detail != Detail.SCORE) {
                argmax = logits.argMax(-1).toType(DataType.INT64, false).toLongArray();
            }
            if (detail == Detail.MOMENTS) {
                NDArray p = lsm.exp();
                NDArray pl = p.mul(lsm);
                NDArray mu = pl.sum(new int[] {-1});
                NDArray second = pl.mul(lsm).sum(new int[] {-1});
                mean = mu.toFloatArray();
                var = second.sub(mu.square()).toFloatArray();
            }
        }
        List<Scored> out = new ArrayList<>(rows);
        int at = 0; // index into the [N] per-position arrays, row by row
        for (int r = 0; r < rows; r++) {
            QaEncoding e = items.get(r);
            int n = e.scoredCount();
            // The first id is never a label (nothing predicts it); QaEncoder always masks it as prompt/BOS.
            if (scored.perRow()[r] != n) {
                throw new IllegalStateException("label at position 0 of an encoding of length " + e.length()
                        + " cannot be scored");
            }
            float[] lp = Arrays.copyOfRange(logp, at, at + n);
            int[] lab = detail == Detail.SCORE ? null : new int[n];
            int[] pred = detail == Detail.SCORE ? null : new int[n];
            double[] mu = detail == Detail.MOMENTS ? new double[n] : null;
            double[] vr = detail == Detail.MOMENTS ? new double[n] : null;
            for (int k = 0; k < n; k++, at++) {
                if (lab != null) {
                    lab[k] = (int) scored.targets()[at];
                    pred[k] = (int) argmax[at];
                }
                if (mu != null) {
                    mu[k] = mean[at];
                    vr[k] = var[at];
                }
            }
            TokenTrace trace = detail == Detail.SCORE ? null
                    : new TokenTrace(lp, lab, pred, mu == null ? null : new VocabMoments(mu, vr));
            int[] answerIds = Arrays.copyOfRange(e.ids(), e.promptLength(), e.length());
            out.add(new Scored(AnswerScore.fromLogProbs(lp), trace, tokenizer.decode(answerIds, true).strip()));
        }
        return out;
    }
}

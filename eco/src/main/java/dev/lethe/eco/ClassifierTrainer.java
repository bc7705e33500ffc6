package dev.lethe.eco;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.lethe.core.train.BatchSource;
import dev.lethe.core.train.Objective;
import dev.lethe.core.train.TrainConfig;
import dev.lethe.core.train.TrainResult;
import dev.lethe.core.train.Trainer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains a {@link PromptClassifier} with core's {@link Trainer}: forget questions are label 1, retain
 * questions label 0, class-weighted cross-entropy with {@code weight_c = N / N_c} (eco.md §2.3).
 *
 * <p>A stratified {@link ClassifierTraining#validationFraction} of each class is held out. After every epoch the
 * balanced validation error (miss rate + false-flag rate at margin 0) is measured and the best weights are kept,
 * standing in for the reference's "fewest errors on the forget set" checkpoint choice, which on its own would
 * favour a classifier that flags everything.
 */
public final class ClassifierTrainer {

    private ClassifierTrainer() {}

    /** A micro-batch: padded ids and mask, labels {@code [B]} int64, per-example class weights {@code [B]}. */
    record Batch(NDArray ids, NDArray mask, NDArray labels, NDArray weights) {}

    /**
     * What training produced.
     *
     * @param classifier the trained classifier (best epoch's weights)
     * @param train the loss curve of the whole run
     * @param validationPositives held-out forget inputs (not trained on)
     * @param validationNegatives held-out retain inputs (not trained on)
     * @param bestEpoch 1-based epoch whose weights were kept (0: the initial weights)
     * @param bestBalancedError its balanced validation error
     */
    public record Fit(PromptClassifier classifier, TrainResult train, List<int[]> validationPositives,
                      List<int[]> validationNegatives, int bestEpoch, double bestBalancedError) {}

    /**
     * @param classifier a fresh classifier (trained in place)
     * @param positives forget inputs (token ids of the bare questions)
     * @param negatives retain inputs
     */
    public static Fit train(PromptClassifier classifier, List<int[]> positives, List<int[]> negatives,
                            ClassifierTraining cfg) {
        if (positives.isEmpty() || negatives.isEmpty()) {
            throw new IllegalArgumentException("need forget and retain examples, got " + positives.size() + " and "
                    + negatives.size());
        }
        Random split = new Random(cfg.seed());
        List<int[]> pos = shuffled(positives, split);
        List<int[]> neg = shuffled(negatives, split);
        int vp = heldOut(pos.size(), cfg.validationFraction());
        int vn = heldOut(neg.size(), cfg.validationFraction());
        List<int[]> valPos = pos.subList(0, vp);
        List<int[]> valNeg = neg.subList(0, vn);
        List<int[]> trainInputs = new ArrayList<>();
        List<Integer> trainLabels = new ArrayList<>();
        for (int[] x : pos.subList(vp, pos.size())) {
            trainInputs.add(x);
            trainLabels.add(1);
        }
        for (int[] x : neg.subList(vn, neg.size())) {
            trainInputs.add(x);
            trainLabels.add(0);
        }
        int n = trainInputs.size();
        double nPos = pos.size() - vp;
        double[] classWeight = {n / (double) (n - nPos), n / nPos};
        int stepsPerEpoch = (n + cfg.batchSize() - 1) / cfg.batchSize();
        int steps = stepsPerEpoch * cfg.epochs();

        Selection best = new Selection(classifier, valPos, valNeg);
        BatchSource<Batch> source = (index, m) -> {
            int epoch = (int) (index / stepsPerEpoch);
            int within = (int) (index % stepsPerEpoch);
            if (within == 0 && epoch > 0) {
                best.consider(epoch); // weights after `epoch` full passes; runs outside any gradient collector
            }
            int[] order = permutation(n, cfg.seed() * 1_000_003L + epoch);
            int from = within * cfg.batchSize();
            int to = Math.min(n, from + cfg.batchSize());
            List<int[]> in = new ArrayList<>(to - from);
            long[] labels = new long[to - from];
            float[] weights = new float[to - from];
            for (int i = from; i < to; i++) {
                in.add(trainInputs.get(order[i]));
                labels[i - from] = trainLabels.get(order[i]);
                weights[i - from] = (float) classWeight[trainLabels.get(order[i])];
            }
            NDList enc = classifier.encode(m, in);
            return new Batch(enc.get(0), enc.get(1), m.create(labels), m.create(weights));
        };
        Objective<Batch> objective = (b, step) -> {
            NDArray logp = classifier.logits(b.ids(), b.mask(), true).logSoftmax(-1);
            NDArray picked = logp.gather(b.labels().expandDims(-1), -1).squeeze(-1);
            // torch CrossEntropyLoss(weight=w) with mean reduction: Σ w_i·nll_i / Σ w_i
            NDArray loss = picked.mul(b.weights()).sum().neg().div(b.weights().sum());
            return new Objective.Loss(loss, b.ids().getShape().size());
        };
        TrainConfig tc = TrainConfig.builder().setSteps(steps).setLearningRate(cfg.learningRate())
                .optWarmupSteps((int) Math.round(steps * cfg.warmupFraction())).optDecay(TrainConfig.Decay.COSINE)
                .optWeightDecay(cfg.weightDecay()).optBetas(0.9, 0.98).optEpsilon(1e-6).optClipNorm(0)
                .optSeed(cfg.seed()).optTaskName("eco-classifier").build();
        TrainResult result = new Trainer<>(new LinkedHashMap<>(classifier.parameters()), classifier.manager(), tc, objective,
                source).run();
        best.consider(result.completed() ? cfg.epochs() : -1);
        best.restoreBest();
        return new Fit(classifier, result, List.copyOf(valPos), List.copyOf(valNeg), best.epoch, best.error);
    }

    /** Keeps the weights of the epoch with the lowest balanced validation error (earliest on ties). */
    private static final class Selection {
        private final PromptClassifier classifier;
        private final List<int[]> pos;
        private final List<int[]> neg;
        private Map<String, float[]> weights;
        private int epoch = -1;
        private double error = Double.POSITIVE_INFINITY;

        Selection(PromptClassifier classifier, List<int[]> pos, List<int[]> neg) {
            this.classifier = classifier;
            this.pos = pos;
            this.neg = neg;
        }

        void consider(int epochDone) {
            if (epochDone < 0) {
                return;
            }
            double e;
            if (pos.isEmpty() || neg.isEmpty()) {
                e = 0; // nothing held out: keep the last weights
            } else {
                double miss = 0;
                for (double m : classifier.margins(pos)) {
                    miss += m > 0 ? 0 : 1;
                }
                double flag = 0;
                for (double m : classifier.margins(neg)) {
                    flag += m > 0 ? 1 : 0;
                }
                e = miss / pos.size() + flag / neg.size();
            }
            if (weights == null || e < error || (pos.isEmpty() || neg.isEmpty())) {
                error = e;
                epoch = epochDone;
                weights = classifier.snapshot();
            }
        }

        void restoreBest() {
            if (weights != null) {
                classifier.restore(weights);
            }
        }
    }

    private static int heldOut(int size, double fraction) {
        if (fraction <= 0 || size < 2) {
            return 0;
        }
        return Math.max(1, Math.min(size - 1, (int) Math.round(size * fraction)));
    }

    private static List<int[]> shuffled(List<int[]> in, Random r) {
        List<int[]> out = new ArrayList<>(in);
        Collections.shuffle(out, r);
        return out;
    }

    private static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        Random r = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}

package dev.lethe.eco;

/**
 * Hyperparameters of classifier training. The reference (eco.md §2.3) fine-tunes roberta-base with lr 2e-5,
 * weight decay 0.1, 10 % warm-up, cosine decay, Adam β = (0.9, 0.98), ε = 1e-6, no clipping, batch 16,
 * 30 epochs, 10 % validation. Lethe keeps the optimiser, schedule, weight decay and split, but a bag of
 * embeddings trained from scratch needs a far larger learning rate, and the CPU budget fewer steps: defaults
 * are lr 1e-2, batch 32, 10 epochs (the best epoch is kept, see {@link ClassifierTrainer}).
 *
 * @param epochs passes over the training examples
 * @param batchSize examples per step
 * @param learningRate peak AdamW learning rate
 * @param weightDecay decoupled weight decay on matrices
 * @param warmupFraction fraction of the steps spent warming up
 * @param validationFraction share of each class held out for checkpoint selection and reporting
 * @param seed split, shuffling and dropout seed
 */
public record ClassifierTraining(int epochs, int batchSize, double learningRate, double weightDecay,
                                 double warmupFraction, double validationFraction, long seed) {

    public ClassifierTraining {
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException("epochs, batch size and learning rate must be positive");
        }
        if (!(validationFraction >= 0 && validationFraction < 1) || !(warmupFraction >= 0 && warmupFraction < 1)) {
            throw new IllegalArgumentException("fractions must be in [0, 1)");
        }
    }

    public static ClassifierTraining defaults() {
        return new ClassifierTraining(10, 32, 1e-2, 0.1, 0.1, 0.1, 0);
    }

    public ClassifierTraining withEpochs(int n) {
        return new ClassifierTraining(n, batchSize, learningRate, weightDecay, warmupFraction, validationFraction, seed);
    }

    public ClassifierTraining withSeed(long s) {
        return new ClassifierTraining(epochs, batchSize, learningRate, weightDecay, warmupFraction, validationFraction, s);
    }
}

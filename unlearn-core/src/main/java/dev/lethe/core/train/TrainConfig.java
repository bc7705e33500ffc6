package dev.lethe.core.train;

/**
 * Everything a training run is parameterised by. Build with {@link #builder()}: {@code set*} for the
 * required step count and learning rate, {@code opt*} for the rest (defaults follow common
 * Llama fine-tuning practice: AdamW β = (0.9, 0.999), ε = 1e-8, weight decay 0.01 on matrices only,
 * 10 % linear warm-up, linear decay to 0, global-norm clipping at 1.0).
 */
public record TrainConfig(
        int steps,
        double learningRate,
        int warmupSteps,
        Decay decay,
        double minLearningRateRatio,
        double weightDecay,
        double beta1,
        double beta2,
        double epsilon,
        double clipNorm,
        int accumulation,
        long seed,
        int checkpointEvery,
        boolean progress,
        String taskName) {

    /** How the learning rate falls after warm-up. */
    public enum Decay { CONSTANT, LINEAR, COSINE }

    public TrainConfig {
        if (steps <= 0) {
            throw new IllegalArgumentException("steps must be positive, got " + steps);
        }
        if (!(learningRate >= 0)) {
            throw new IllegalArgumentException("learning rate must be ≥ 0, got " + learningRate);
        }
        if (warmupSteps < 0 || accumulation < 1) {
            throw new IllegalArgumentException("warmup must be ≥ 0 and accumulation ≥ 1");
        }
    }

    /** Learning rate at optimizer step {@code step} (0-based): linear warm-up, then the decay. */
    public double learningRateAt(int step) {
        if (step < warmupSteps) {
            return learningRate * (step + 1) / (double) warmupSteps;
        }
        double min = learningRate * minLearningRateRatio;
        int decaySteps = Math.max(1, steps - warmupSteps);
        double progress = Math.min(1.0, (step - warmupSteps) / (double) decaySteps);
        return switch (decay) {
            case CONSTANT -> learningRate;
            case LINEAR -> min + (learningRate - min) * (1 - progress);
            case COSINE -> min + (learningRate - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
        };
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder in DJL's style: {@code set*} required, {@code opt*} optional. */
    public static final class Builder {
        private int steps = -1;
        private double lr = Double.NaN;
        private int warmup = -1;
        private Decay decay = Decay.LINEAR;
        private double minRatio = 0.0;
        private double weightDecay = 0.01;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double clip = 1.0;
        private int accumulation = 1;
        private long seed = 0;
        private int checkpointEvery = 0;
        private boolean progress = false;
        private String task = "train";

        public Builder setSteps(int steps) {
            this.steps = steps;
            return this;
        }

        public Builder setLearningRate(double lr) {
            this.lr = lr;
            return this;
        }

        /** Warm-up steps; default 10 % of the steps. */
        public Builder optWarmupSteps(int warmup) {
            this.warmup = warmup;
            return this;
        }

        public Builder optDecay(Decay decay) {
            this.decay = decay;
            return this;
        }

        public Builder optMinLearningRateRatio(double ratio) {
            this.minRatio = ratio;
            return this;
        }

        /** Decoupled weight decay, applied only to tensors of rank ≥ 2 (not norms, biases). */
        public Builder optWeightDecay(double wd) {
            this.weightDecay = wd;
            return this;
        }

        public Builder optBetas(double b1, double b2) {
            this.beta1 = b1;
            this.beta2 = b2;
            return this;
        }

        public Builder optEpsilon(double eps) {
            this.eps = eps;
            return this;
        }

        /** Global gradient-norm limit; ≤ 0 disables clipping. */
        public Builder optClipNorm(double clip) {
            this.clip = clip;
            return this;
        }

        public Builder optAccumulation(int micro) {
            this.accumulation = micro;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Save a resumable checkpoint every N optimizer steps (0 = never). */
        public Builder optCheckpointEvery(int n) {
            this.checkpointEvery = n;
            return this;
        }

        public Builder optProgress(boolean show) {
            this.progress = show;
            return this;
        }

        public Builder optTaskName(String name) {
            this.task = name;
            return this;
        }

        public TrainConfig build() {
            if (steps < 0 || Double.isNaN(lr)) {
                throw new IllegalStateException("setSteps and setLearningRate are required");
            }
            int w = warmup >= 0 ? warmup : steps / 10;
            return new TrainConfig(steps, lr, w, decay, minRatio, weightDecay, beta1, beta2, eps, clip,
                    accumulation, seed, checkpointEvery, progress, task);
        }
    }
}

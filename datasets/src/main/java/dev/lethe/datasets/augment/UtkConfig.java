package dev.lethe.datasets.augment;

/**
 * UtK settings (long-context §3.1–3.2). {@code chunkCounts}/{@code chunkWeights}: distribution of the number of
 * chunks per document (the reference config: 70 % n = 1, 30 % n = 3). {@code maxLength} 0 = no truncation.
 */
public record UtkConfig(double probability, int[] chunkCounts, double[] chunkWeights, boolean randomSplit,
                        boolean preservePartialOrder, boolean backtrace, int idLength, int maxLength, long seed) {

    public UtkConfig {
        if (probability < 0 || probability > 1) {
            throw new IllegalArgumentException("probability must be in [0, 1]");
        }
        if (chunkCounts.length == 0 || chunkCounts.length != chunkWeights.length) {
            throw new IllegalArgumentException("chunkCounts and chunkWeights must be non-empty and equally long");
        }
        for (int n : chunkCounts) {
            if (n < 1) {
                throw new IllegalArgumentException("chunk counts must be >= 1");
            }
        }
        chunkCounts = chunkCounts.clone();
        chunkWeights = chunkWeights.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder with the reference defaults: p = 0.3, n ∈ {1: 0.7, 3: 0.3}, equal split, backtrace on, ids of 6. */
    public static final class Builder {
        private double probability = 0.3;
        private int[] chunkCounts = {1, 3};
        private double[] chunkWeights = {0.7, 0.3};
        private boolean randomSplit;
        private boolean preservePartialOrder;
        private boolean backtrace = true;
        private int idLength = 6;
        private int maxLength;
        private long seed;

        public Builder optProbability(double p) {
            this.probability = p;
            return this;
        }

        public Builder optChunks(int[] counts, double[] weights) {
            this.chunkCounts = counts;
            this.chunkWeights = weights;
            return this;
        }

        /** Split at distinct uniform-random positions instead of equal lengths. */
        public Builder optRandomSplit(boolean randomSplit) {
            this.randomSplit = randomSplit;
            return this;
        }

        public Builder optPreservePartialOrder(boolean preserve) {
            this.preservePartialOrder = preserve;
            return this;
        }

        public Builder optBacktrace(boolean backtrace) {
            this.backtrace = backtrace;
            return this;
        }

        public Builder optIdLength(int idLength) {
            this.idLength = idLength;
            return this;
        }

        public Builder optMaxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public UtkConfig build() {
            return new UtkConfig(probability, chunkCounts, chunkWeights, randomSplit, preservePartialOrder,
                    backtrace, idLength, maxLength, seed);
        }
    }
}

package dev.lethe.core.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Autoregressive decoding over any {@link LanguageModel}: greedy or sampling (temperature, top-k, top-p),
 * per-row EOS stop, a token budget, left-padded batches and the model's KV cache.
 *
 * <p>DJL's {@code TextGenerator} cannot serve here (no EOS id, no early stop, no sampling, and it would
 * not see ULD's or ECO's composite models), so this loop is ours. Token choice runs in Java on the
 * {@code [B, V]} logits: cheap at these vocabulary sizes, and sampling is seeded and exactly reproducible.
 *
 * <p>Decoding threads: a step after the prompt works on {@code [B, 1, d]} activations, far below the size at
 * which libtorch's intra-op threads pay for their hand-offs, so narrow steps run on one thread (see
 * {@link Builder#optDecodeThreads}). The prompt's prefill keeps every thread.
 */
public final class Generator {

    private final int maxNewTokens;
    private final double temperature;
    private final int topK;
    private final double topP;
    private final long seed;
    private final int batchSize;
    private final LogitsProcessor processor;
    private final int decodeThreads;

    /**
     * Below this many activations per step ({@code batch × hidden_size}) the automatic policy decodes on one
     * thread. Measured with {@code bench generate --seq 16} on the 2-core VM, d = 256, two pairs per batch size:
     * one thread against two is 11–20 % faster at batch 1, 6–13 % at batch 4, even at batch 16 and 16–24 %
     * slower at batch 64.
     */
    static final int NARROW_STEP = 16 * 256;

    private Generator(Builder b) {
        this.maxNewTokens = b.maxNewTokens;
        this.temperature = b.temperature;
        this.topK = b.topK;
        this.topP = b.topP;
        this.seed = b.seed;
        this.batchSize = b.batchSize;
        this.processor = b.processor;
        this.decodeThreads = b.decodeThreads;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The new-token budget: what a prompt must leave room for in the model's context. */
    public int maxNewTokens() {
        return maxNewTokens;
    }

    /** Generation settings in DJL's builder style. */
    public static final class Builder {
        private int maxNewTokens = 200;
        private double temperature = 0;
        private int topK = 0;
        private double topP = 1.0;
        private long seed = 0;
        private int batchSize = 16;
        private LogitsProcessor processor;
        private int decodeThreads = -1;

        /** New-token budget (TOFU: 200). */
        public Builder optMaxNewTokens(int n) {
            this.maxNewTokens = n;
            return this;
        }

        /** 0 (default) = greedy; otherwise sample from softmax(logits / temperature). */
        public Builder optTemperature(double t) {
            this.temperature = t;
            return this;
        }

        /** Keep only the k most likely tokens when sampling (0 = all). */
        public Builder optTopK(int k) {
            this.topK = k;
            return this;
        }

        /** Nucleus sampling: keep the smallest set of tokens with cumulative probability ≥ p. */
        public Builder optTopP(double p) {
            this.topP = p;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optBatchSize(int n) {
            this.batchSize = n;
            return this;
        }

        public Builder optLogitsProcessor(LogitsProcessor p) {
            this.processor = p;
            return this;
        }

        /**
         * libtorch intra-op threads for the decoding steps after the prefill: {@code n > 0} sets them, 0 keeps
         * whatever the process uses, and -1 (default) picks one thread when a step is narrow ({@code batch ×
         * hidden_size} below {@value #NARROW_STEP}) and keeps the process setting otherwise. The setting
         * is libtorch's for the calling thread, restored when the batch is done.
         */
        public Builder optDecodeThreads(int n) {
            this.decodeThreads = n;
            return this;
        }

        public Generator build() {
            if (decodeThreads < -1) {
                throw new IllegalArgumentException("decode threads must be -1 (automatic), 0 (unchanged) or positive");
            }
            if (maxNewTokens < 1 || batchSize < 1 || temperature < 0 || topP <= 0 || topP > 1 || topK < 0) {
                throw new IllegalArgumentException("invalid generation settings");
            }
            return new Generator(this);
        }
    }

    /**
     * One generated continuation.
     *
     * @param tokens generated ids, without the prompt and without the EOS that ended it
     * @param stoppedAtEos whether EOS ended it (false: the budget ran out)
     */
    public record Output(long[] tokens, boolean stoppedAtEos) {}

    /** Continues every prompt (unpadded token ids, BOS included if the template wants it). */
    public List<Output> generate(LanguageModel model, List<long[]> prompts) {
        List<Output> out = new ArrayList<>(prompts.size());
        Random random = new Random(seed);
        int eos = model.config().eosTokenId();
        int pad = model.config().padTokenId();
        for (int start = 0; start < prompts.size(); start += batchSize) {
            out.addAll(generateBatch(model, prompts.subList(start, Math.min(prompts.size(), start + batchSize)),
                    eos, pad, random));
        }
        return out;
    }

    private List<Output> generateBatch(LanguageModel model, List<long[]> prompts, int eos, int pad, Random random) {
        int b = prompts.size();
        int len = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        long[][] ids = new long[b][len];
        long[][] mask = new long[b][len];
        for (int i = 0; i < b; i++) {
            long[] p = prompts.get(i);
            if (p.length == 0) {
                throw new IllegalArgumentException("prompt " + i + " is empty");
            }
            int off = len - p.length; // left padding: every row's last prompt token is at the same column
            Arrays.fill(ids[i], 0, off, pad);
            System.arraycopy(p, 0, ids[i], off, p.length);
            Arrays.fill(mask[i], off, len, 1);
        }
        long[][] generated = new long[b][maxNewTokens];
        int[] count = new int[b];
        boolean[] done = new boolean[b];
        boolean[] eosSeen = new boolean[b];
        int vocab = model.config().vocabSize();
        int threads = stepThreads(b, model.config().hiddenSize());
        int before = threads > 0 ? JniUtils.getNumThreads() : 0;
        boolean switched = false;
        try (NDManager m = model.manager().newSubManager();
             DecodingSession session = model.startDecoding(TokenBatch.of(m, ids, mask, null))) {
            if (threads > 0 && threads != before) { // after the prefill, which keeps every thread
                JniUtils.setNumThreads(threads);
                switched = true;
            }
            for (int step = 0; step < maxNewTokens; step++) {
                float[] logits;
                try (NDManager sm = m.newSubManager()) {
                    NDArray l = session.nextLogits();
                    if (processor != null) {
                        long[][] so = new long[b][];
                        for (int i = 0; i < b; i++) {
                            so[i] = Arrays.copyOf(generated[i], count[i]);
                        }
                        NDArray lc = l.duplicate();
                        lc.attach(sm);
                        l = processor.process(lc, so);
                    }
                    logits = l.toFloatArray();
                }
                long[] next = new long[b];
                boolean all = true;
                for (int i = 0; i < b; i++) {
                    if (done[i]) {
                        next[i] = pad;
                        continue;
                    }
                    int tok = choose(logits, i * vocab, vocab, random);
                    next[i] = tok;
                    if (tok == eos) {
                        done[i] = true;
                        eosSeen[i] = true;
                    } else {
                        generated[i][count[i]++] = tok;
                        done[i] = count[i] >= maxNewTokens;
                    }
                    all &= done[i];
                }
                if (all || step == maxNewTokens - 1) {
                    break;
                }
                try (NDManager sm = m.newSubManager()) {
                    session.append(sm.create(next));
                }
            }
        } finally {
            if (switched) {
                JniUtils.setNumThreads(before);
            }
        }
        List<Output> out = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            out.add(new Output(Arrays.copyOf(generated[i], count[i]), eosSeen[i]));
        }
        return out;
    }

    /**
     * libtorch threads this generator decodes a batch of {@code rows} with, for a model of width
     * {@code hidden}; 0 means the process setting is left alone.
     */
    public int stepThreads(int rows, int hidden) {
        if (decodeThreads >= 0) {
            return decodeThreads;
        }
        return (long) rows * hidden < NARROW_STEP ? 1 : 0;
    }

    private int choose(float[] logits, int off, int vocab, Random random) {
        if (temperature == 0) {
            int best = 0;
            float bv = Float.NEGATIVE_INFINITY;
            for (int v = 0; v < vocab; v++) {
                if (logits[off + v] > bv) { // strict: ties go to the lowest id, as torch.argmax
                    bv = logits[off + v];
                    best = v;
                }
            }
            return best;
        }
        Integer[] order = new Integer[vocab];
        double[] p = new double[vocab];
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
            order[v] = v;
            max = Math.max(max, logits[off + v] / temperature);
        }
        double z = 0;
        for (int v = 0; v < vocab; v++) {
            p[v] = Math.exp(logits[off + v] / temperature - max);
            z += p[v];
        }
        Arrays.sort(order, (x, y) -> Double.compare(p[y], p[x]) != 0 ? Double.compare(p[y], p[x]) : Integer.compare(x, y));
        int keep = topK > 0 ? Math.min(topK, vocab) : vocab;
        double cum = 0;
        int k = 0;
        for (; k < keep; k++) {
            cum += p[order[k]] / z;
            if (cum >= topP) {
                k++;
                break;
            }
        }
        keep = Math.max(1, Math.min(k, keep));
        double mass = 0;
        for (int i = 0; i < keep; i++) {
            mass += p[order[i]];
        }
        double u = random.nextDouble() * mass;
        for (int i = 0; i < keep; i++) {
            u -= p[order[i]];
            if (u <= 0) {
                return order[i];
            }
        }
        return order[keep - 1];
    }
}

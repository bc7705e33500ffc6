package dev.lethe.scripts.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.lm.TokenLogProbs;
import dev.lethe.core.longctx.LambdaMask;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.model.FusedWeights;
import dev.lethe.core.model.KvCache;
import dev.lethe.core.model.MaskPolicy;
import dev.lethe.core.train.CausalLmObjective;
import dev.lethe.core.train.LmBatch;
import dev.lethe.core.train.TrainConfig;
import dev.lethe.core.train.TrainResult;
import dev.lethe.core.train.Trainer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * LM-Infinite's length generalisation on a model small enough for one CPU thread (long-context spec §1.4,
 * golden 6):
 * <ol>
 *   <li>train a Llama-style decoder on windows of L tokens of the synthetic world's pretraining text;
 *   <li>perplexity on held-out documents at L, 2L, 4L… with vanilla causal attention (RoPE simply run past
 *       the trained positions) and with the Λ mask (n_global starting tokens, n_local = d = L), next to the
 *       in-length baseline: the same tokens read as independent L-token pieces;
 *   <li>greedy generation after prompts of L, 2L, 4L… tokens: full attention with a full KV cache vs the Λ
 *       mask with the sink + window cache. Both prefill in chunks of L tokens, so the attention scores stay
 *       O(L·context); what differs is the cache (O(context) vs O(n_global + L)) and the keys each step reads.
 * </ol>
 * Expected: vanilla perplexity explodes past L while Λ stays near its in-length value; the Λ cache and peak
 * memory stay flat as the prompt grows.
 */
public final class LambdaBench {
    private LambdaBench() {}

    /**
     * @param length trained length L (also n_local and d)
     * @param nGlobal Λ starting tokens
     * @param trainSteps optimizer steps
     * @param learningRate peak learning rate (cosine decay, 5 % warm-up)
     * @param batch training windows per step
     * @param pplFactors perplexity at these multiples of L
     * @param evalWindows at most this many held-out windows per length
     * @param genFactors prompt lengths (multiples of L) for the generation part; empty skips it
     * @param newTokens greedy tokens generated per prompt
     * @param layers decoder shape
     * @param seed model init and batch order
     */
    public record Settings(int length, int nGlobal, int trainSteps, double learningRate, int batch, int[] pplFactors,
                           int evalWindows, int[] genFactors, int newTokens, int layers, int dim, int heads,
                           int kvHeads, int ffn, long seed) {
        public Settings {
            if (length < 2 || nGlobal < 0 || trainSteps < 1 || batch < 1 || evalWindows < 1 || newTokens < 1) {
                throw new IllegalArgumentException("lambda bench needs length ≥ 2, global ≥ 0, steps, batch,"
                        + " eval windows and new tokens ≥ 1");
            }
            for (int f : concat(pplFactors, genFactors)) {
                if (f < 1) {
                    throw new IllegalArgumentException("length factors must be ≥ 1, got " + f);
                }
            }
        }

        int maxFactor() {
            int m = 1;
            for (int f : concat(pplFactors, genFactors)) {
                m = Math.max(m, f);
            }
            return m;
        }
    }

    public static Map<String, Object> run(Settings s) throws IOException {
        WorldTokens corpus = WorldTokens.of(42, 0.2);
        int l = s.length();
        DecoderConfig trained = DecoderConfig.llama(corpus.vocab(), s.dim(), s.ffn(), s.layers(), s.heads(),
                s.kvHeads(), l).withTokens(corpus.vocab(), corpus.bos(), corpus.eos(), corpus.pad());
        int maxPositions = l * s.maxFactor() + s.newTokens();
        // vanilla keeps the trained weights and only extends its RoPE tables; Λ grows them itself
        DecoderConfig extended = trained.withMaxPositions(maxPositions);
        LambdaMask lambda = LambdaMask.builder().setGlobal(s.nGlobal()).setLocal(l).setMaxPositions(maxPositions)
                .build();

        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bench", "lambda");
        out.put("length", l);
        out.put("n_global", s.nGlobal());
        out.put("n_local", l);
        out.put("distance", l);
        out.put("layers", s.layers());
        out.put("dim", s.dim());
        out.put("heads", s.heads());
        out.put("vocab", corpus.vocab());
        out.put("parameters", trained.parameterCount());
        out.put("train_tokens", corpus.train().length);
        out.put("held_out_tokens", corpus.heldOut().length);
        try (NDManager root = NDManager.newBaseManager(); Decoder model = Decoder.random(trained, root, s.seed())) {
            long t0 = System.nanoTime();
            TrainResult r = train(model, corpus, s);
            out.put("train_steps", s.trainSteps());
            out.put("train_s", TrainBench.round((System.nanoTime() - t0) / 1e9, 1));
            out.put("first_loss", TrainBench.round(r.losses().get(0), 4));
            out.put("last_loss", TrainBench.round(r.finalLoss(), 4));
            if (!r.completed()) {
                out.put("train_stopped", r.message());
                return out;
            }
            try (Decoder vanilla = model.copy(root, extended, MaskPolicy.CAUSAL);
                 Decoder lam = model.copy(root, trained, lambda);
                 Decoder lamEvict = model.copy(root, trained, lambda.withEviction(true))) {
                List<Map<String, Object>> ppl = new ArrayList<>();
                for (int f : s.pplFactors()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("tokens", f * l);
                    Perplexity v = perplexity(vanilla, corpus, f * l, f * l, l, s.evalWindows());
                    Perplexity a = perplexity(lam, corpus, f * l, f * l, l, s.evalWindows());
                    Perplexity in = perplexity(vanilla, corpus, f * l, l, l, s.evalWindows());
                    row.put("windows", v.windows());
                    row.put("vanilla_ppl", TrainBench.round(v.all(), 3));
                    row.put("lambda_ppl", TrainBench.round(a.all(), 3));
                    row.put("in_length_ppl", TrainBench.round(in.all(), 3));
                    row.put("vanilla_ppl_last_L", TrainBench.round(v.lastL(), 3));
                    row.put("lambda_ppl_last_L", TrainBench.round(a.lastL(), 3));
                    row.put("in_length_ppl_last_L", TrainBench.round(in.lastL(), 3));
                    ppl.add(row);
                }
                out.put("perplexity", ppl);
                List<Map<String, Object>> gen = new ArrayList<>();
                boolean perRun = s.genFactors().length > 0 && Rss.resetPeak();
                for (int f : s.genFactors()) {
                    long[] prompt = corpus.heldOutSpan(0, f * l);
                    gen.add(generation("full", vanilla, prompt, s.newTokens(), l));
                    gen.add(generation("lambda_sink_window", lamEvict, prompt, s.newTokens(), l));
                }
                if (!gen.isEmpty()) {
                    out.put("peak_rss_is_per_run", perRun);
                    out.put("generation", gen);
                }
            }
        }
        out.put("peak_rss_mb", Rss.peakMb());
        return out;
    }

    private static TrainResult train(Decoder model, WorldTokens corpus, Settings s) {
        int l = s.length();
        int[] stream = corpus.train();
        if (stream.length <= l + 1) {
            throw new IllegalArgumentException("training stream (" + stream.length + " tokens) is shorter than L = "
                    + l);
        }
        TrainConfig tc = TrainConfig.builder().setSteps(s.trainSteps()).setLearningRate(s.learningRate())
                .optWarmupSteps(Math.max(1, s.trainSteps() / 20)).optDecay(TrainConfig.Decay.COSINE)
                .optMinLearningRateRatio(0.1).optSeed(s.seed()).build();
        Map<String, Parameter> params = new LinkedHashMap<>(model.hfParameters());
        // batch i: windows of L tokens at offsets drawn from a seed of (seed, i), as BatchSource requires
        return new Trainer<>(params, model.manager(), tc, new CausalLmObjective(model), (index, m) -> {
            Random r = new Random(s.seed() * 1_000_003L + index);
            long[] ids = new long[s.batch() * l];
            for (int b = 0; b < s.batch(); b++) {
                int start = r.nextInt(stream.length - l);
                for (int t = 0; t < l; t++) {
                    ids[b * l + t] = stream[start + t];
                }
            }
            NDArray idArr = m.create(ids, new Shape(s.batch(), l));
            NDArray mask = m.ones(new Shape(s.batch(), l), ai.djl.ndarray.types.DataType.INT64);
            return new LmBatch(new TokenBatch(idArr, mask, null), idArr);
        }).run();
    }

    /**
     * @param all exp(mean NLL) over every prediction of every window
     * @param lastL exp(mean NLL) over each window's last L predictions (where vanilla leaves its trained range)
     * @param windows held-out windows scored
     */
    record Perplexity(double all, double lastL, int windows) {}

    /**
     * Non-overlapping held-out windows of {@code n} tokens from the stream's start, read in independent pieces of
     * {@code piece} tokens ({@code piece = n}: whole windows; {@code piece = L}: the in-length baseline on the
     * very same tokens), 4 windows per forward pass.
     */
    static Perplexity perplexity(Decoder d, WorldTokens corpus, int n, int piece, int l, int maxWindows) {
        int windows = Math.min(maxWindows, corpus.heldOut().length / n);
        if (windows == 0) {
            throw new IllegalArgumentException("held-out stream (" + corpus.heldOut().length + " tokens) is shorter"
                    + " than one window of " + n);
        }
        int perWindow = n / piece;
        double nll = 0;
        double tail = 0;
        long count = 0;
        long tailCount = 0;
        for (int w0 = 0; w0 < windows; w0 += 4) {
            int b = Math.min(4, windows - w0);
            try (NDManager m = d.manager().newSubManager()) {
                long[] ids = new long[b * n];
                for (int w = 0; w < b; w++) {
                    System.arraycopy(corpus.heldOutSpan((w0 + w) * n, n), 0, ids, w * n, n);
                }
                NDArray x = m.create(ids, new Shape((long) b * perWindow, piece));
                NDArray logits = d.forward(Decoder.Input.ids(x)).logits();
                float[] lp = TokenLogProbs.of(logits, x).logProbs().toFloatArray(); // [rows, piece − 1]
                for (int r = 0; r < b * perWindow; r++) {
                    for (int t = 0; t < piece - 1; t++) {
                        double v = -lp[r * (piece - 1) + t];
                        nll += v;
                        count++;
                        if ((r % perWindow) * piece + t + 1 >= n - l) { // the predicted token's place in its window
                            tail += v;
                            tailCount++;
                        }
                    }
                }
            }
        }
        return new Perplexity(Math.exp(nll / count), Math.exp(tail / tailCount), windows);
    }

    /**
     * Chunked prefill (L tokens per pass) then greedy decoding with the policy's own cache; the peak RSS is
     * reset first, so it is this run's.
     */
    static Map<String, Object> generation(String name, Decoder d, long[] prompt, int newTokens, int chunk) {
        Rss.resetPeak();
        long before = Rss.currentMb();
        DecoderConfig c = d.config();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("attention", name);
        row.put("prompt_tokens", prompt.length);
        row.put("new_tokens", newTokens);
        try (NDManager m = d.manager().newSubManager();
             KvCache cache = new KvCache(m, c.numHiddenLayers(), d.maskPolicy().cacheEviction())) {
            FusedWeights fused = FusedWeights.of(d, m);
            long t0 = System.nanoTime();
            long next = -1;
            for (int start = 0; start < prompt.length; start += chunk) {
                int len = Math.min(chunk, prompt.length - start);
                try (NDManager step = m.newSubManager()) {
                    long[] part = java.util.Arrays.copyOfRange(prompt, start, start + len);
                    boolean last = start + len == prompt.length;
                    Decoder.Output o = d.forward(Decoder.Input.ids(step.create(part, new Shape(1, len)))
                            .optCache(cache).optFusedWeights(fused).optLogits(last));
                    if (last) {
                        next = o.logits().get(0, len - 1).argMax().getLong();
                    }
                }
            }
            long t1 = System.nanoTime();
            long maxKv = cache.stored();
            for (int i = 1; i < newTokens; i++) {
                try (NDManager step = m.newSubManager()) {
                    Decoder.Output o = d.forward(Decoder.Input.ids(step.create(new long[] {next}, new Shape(1, 1)))
                            .optCache(cache).optFusedWeights(fused));
                    next = o.logits().get(0, 0).argMax().getLong();
                    maxKv = Math.max(maxKv, cache.stored());
                }
            }
            long t2 = System.nanoTime();
            long kvBytes = maxKv * c.numHiddenLayers() * 2L * c.numKeyValueHeads() * c.headDim() * Float.BYTES;
            row.put("prefill_s", TrainBench.round((t1 - t0) / 1e9, 3));
            row.put("decode_tokens_per_s", Math.round((newTokens - 1) / ((t2 - t1) / 1e9)));
            row.put("kv_cache_keys", maxKv);
            row.put("kv_cache_kb", TrainBench.round(kvBytes / 1024.0, 1));
        }
        row.put("rss_before_mb", before);
        row.put("peak_rss_mb", Rss.peakMb());
        return row;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

package dev.lethe.scripts.bench;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.lm.Generator;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generation throughput through {@link Generator} with the KV cache: {@code --batch} prompts of
 * {@code --seq} tokens, {@code --new-tokens} greedy tokens each (EOS is made unreachable so every row runs
 * the full budget). Reported tokens/s counts generated tokens only.
 */
public final class GenerateBench {
    private GenerateBench() {}

    public static Map<String, Object> run(BenchShape s, int newTokens, int repeats) {
        DecoderConfig c = s.config(s.seq + newTokens);
        // eos id beyond the vocabulary: generation always uses the whole budget
        DecoderConfig noEos = c.withTokens(c.vocabSize(), 1, c.vocabSize() + 1, 0);
        try (NDManager root = NDManager.newBaseManager(); Decoder model = Decoder.random(noEos, root, s.seed)) {
            Generator g = Generator.builder().optMaxNewTokens(newTokens).optBatchSize(s.batch).build();
            Random r = new Random(s.seed);
            List<Double> times = new ArrayList<>();
            long generated = 0;
            for (int rep = 0; rep < repeats + 1; rep++) {
                List<long[]> prompts = new ArrayList<>();
                for (int b = 0; b < s.batch; b++) {
                    long[] p = new long[s.seq];
                    for (int t = 0; t < s.seq; t++) {
                        p[t] = r.nextInt(s.vocab);
                    }
                    prompts.add(p);
                }
                long t0 = System.nanoTime();
                List<Generator.Output> out = g.generate(model, prompts);
                double dt = (System.nanoTime() - t0) / 1e9;
                long n = out.stream().mapToLong(o -> o.tokens().length).sum();
                if (rep > 0) { // the first repeat warms up the JIT and libtorch
                    times.add(dt);
                    generated = n;
                }
            }
            double med = ScoreBench.median(times);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("bench", "generate");
            out.put("layers", s.layers);
            out.put("dim", s.dim);
            out.put("vocab", s.vocab);
            out.put("batch", s.batch);
            out.put("prompt_tokens", s.seq);
            out.put("new_tokens", newTokens);
            out.put("repeats", repeats);
            out.put("seconds_median", TrainBench.round(med, 4));
            out.put("tokens_per_s", Math.round(generated / med));
            out.put("ms_per_token_step", TrainBench.round(1000 * med / newTokens, 2));
            int stepThreads = g.stepThreads(s.batch, s.dim);
            out.put("decode_threads", stepThreads > 0 ? stepThreads : ai.djl.pytorch.jni.JniUtils.getNumThreads());
            out.put("peak_rss_mb", Rss.peakMb());
            return out;
        }
    }
}

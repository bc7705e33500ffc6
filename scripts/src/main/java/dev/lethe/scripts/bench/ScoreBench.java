package dev.lethe.scripts.bench;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.lm.Scorer;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Teacher-forced scoring throughput (per-token log-probs of every position) through {@link Scorer}. */
public final class ScoreBench {
    private ScoreBench() {}

    public static Map<String, Object> run(BenchShape s, int steps) {
        DecoderConfig c = s.config(s.seq);
        try (NDManager root = NDManager.newBaseManager(); Decoder model = Decoder.random(c, root, s.seed)) {
            Scorer scorer = new Scorer(model);
            Random r = new Random(s.seed);
            List<Double> times = new ArrayList<>();
            double checksum = 0;
            for (int step = 0; step < steps; step++) {
                long[][] ids = new long[s.batch][s.seq];
                long[][] mask = new long[s.batch][s.seq];
                for (int b = 0; b < s.batch; b++) {
                    for (int t = 0; t < s.seq; t++) {
                        ids[b][t] = r.nextInt(s.vocab);
                    }
                    Arrays.fill(mask[b], 1);
                }
                long t0 = System.nanoTime();
                List<Scorer.Result> res = scorer.score(ids, mask, ids);
                times.add((System.nanoTime() - t0) / 1e9);
                checksum += res.get(0).sumLogProb();
            }
            double med = median(times.subList(Math.min(2, times.size() - 1), times.size()));
            double tps = s.batch * s.seq / med;
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("bench", "score");
            out.put("layers", s.layers);
            out.put("dim", s.dim);
            out.put("vocab", s.vocab);
            out.put("batch", s.batch);
            out.put("seq", s.seq);
            out.put("steps", steps);
            out.put("batch_s_median", TrainBench.round(med, 4));
            out.put("tokens_per_s", Math.round(tps));
            out.put("gflops", TrainBench.round(s.forwardFlopsPerToken(s.seq) * tps / 1e9, 1));
            out.put("checksum", TrainBench.round(checksum, 3));
            out.put("peak_rss_mb", Rss.peakMb());
            return out;
        }
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}

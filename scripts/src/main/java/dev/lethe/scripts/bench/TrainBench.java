package dev.lethe.scripts.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.train.CausalLmObjective;
import dev.lethe.core.train.LmBatch;
import dev.lethe.core.train.TrainConfig;
import dev.lethe.core.train.TrainResult;
import dev.lethe.core.train.Trainer;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Training throughput of the decoder through the real {@link Trainer} loop (AdamW, clipping, sub-managers). */
public final class TrainBench {
    private TrainBench() {}

    public static Map<String, Object> run(BenchShape s, int steps) {
        DecoderConfig c = s.config(s.seq);
        try (NDManager root = NDManager.newBaseManager(); Decoder model = Decoder.random(c, root, s.seed)) {
            Map<String, ai.djl.nn.Parameter> params = new LinkedHashMap<>(model.hfParameters());
            TrainConfig tc = TrainConfig.builder().setSteps(steps).setLearningRate(3e-4).optWarmupSteps(0)
                    .optSeed(s.seed).build();
            Trainer<LmBatch> trainer = new Trainer<>(params, model.manager(), tc, new CausalLmObjective(model),
                    (index, m) -> randomBatch(m, s, index));
            TrainResult r = trainer.run();
            double stepS = r.medianStepSeconds();
            double tps = s.batch * s.seq / stepS;
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("bench", "train");
            out.put("layers", s.layers);
            out.put("dim", s.dim);
            out.put("heads", s.heads);
            out.put("kv_heads", s.kvHeads);
            out.put("ffn", s.ffn);
            out.put("vocab", s.vocab);
            out.put("batch", s.batch);
            out.put("seq", s.seq);
            out.put("steps", steps);
            out.put("parameters", c.parameterCount());
            out.put("step_s_median", round(stepS, 4));
            out.put("tokens_per_s", Math.round(tps));
            out.put("gflops", round(3 * s.forwardFlopsPerToken(s.seq) * tps / 1e9, 1));
            out.put("first_loss", round(r.losses().get(0), 4));
            out.put("last_loss", round(r.finalLoss(), 4));
            out.put("peak_rss_mb", Rss.peakMb());
            return out;
        }
    }

    static LmBatch randomBatch(NDManager m, BenchShape s, long index) {
        Random r = new Random(s.seed * 1_000_003L + index);
        long[] ids = new long[s.batch * s.seq];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(s.vocab);
        }
        NDArray idArr = m.create(ids, new Shape(s.batch, s.seq));
        NDArray mask = m.ones(new Shape(s.batch, s.seq), ai.djl.ndarray.types.DataType.INT64);
        return new LmBatch(new TokenBatch(idArr, mask, null), idArr);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}

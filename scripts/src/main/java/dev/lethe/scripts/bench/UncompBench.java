package dev.lethe.scripts.bench;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.io.HfCheckpoint;
import dev.lethe.core.kv.GroupBudget;
import dev.lethe.core.kv.KvCapacity;
import dev.lethe.core.kv.KvPolicyModel;
import dev.lethe.core.kv.UncompCalibration;
import dev.lethe.core.kv.UncompPolicy;
import dev.lethe.core.lm.DecodingSession;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.model.KvCachePolicy;
import dev.lethe.core.text.ChatTemplate;
import dev.lethe.core.text.LetheTokenizer;
import dev.lethe.core.text.QaEncoder;
import dev.lethe.datasets.tofu.TofuBenchmark;
import dev.lethe.datasets.tofu.MultipleChoiceItem;
import dev.lethe.eval.EvalOptions;
import dev.lethe.eval.TofuEvaluator;
import dev.lethe.eval.metrics.engine.EvalLog;
import dev.lethe.eval.metrics.engine.MetricResult;
import dev.lethe.scripts.tofu.ModelDirs;
import dev.lethe.scripts.SplitOption;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * UNComp KV compression against the full cache (spec long-context §2.8 use 1: gate compressed evaluation
 * on its metric change).
 *
 * <p><b>Speed:</b> a random decoder of the {@link BenchShape}, {@code --batch} prompts of {@code --seq}
 * random tokens, {@code --new-tokens} greedy tokens (EOS unreachable). Head groups are calibrated on
 * {@code --calibration} further random prompts. Per policy: prefill seconds, decoding tokens/s (the steps
 * after prefill, where the cache size matters) and overall tokens/s; the KV cache sizes at the end; the
 * process's peak RSS (per policy only with one policy per process, {@code --kv-policies full} or
 * {@code uncomp}: allocators keep freed pages, so a second policy's peak would not be its own).
 *
 * <p><b>Quality</b> (with {@code --model}): the TOFU ROUGE-L recall of forget and retain answers of a
 * trained checkpoint, generated with the full cache and with UNComp; head groups are calibrated on the
 * question + answer texts of the real-authors and world-facts splits (never the evaluated ones).
 */
public final class UncompBench {
    private static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();

    private UncompBench() {}

    /**
     * @param budget nominal per-head capacity C as a fraction of each prompt
     * @param equalMemory (4C/3, 2C/3) group budgets instead of the reference (3C/2, 3C/4)
     * @param policies which of full, uncomp to time
     * @param calibration calibration prompts for the head groups
     * @param model a trained checkpoint for the quality part, or null
     * @param data its TOFU-layout world (null: the {@code world/} next to the model directory)
     */
    public record Options(double budget, boolean equalMemory, List<String> policies, int calibration, Path model,
                          Path data, String split) {
        public Options {
            for (String p : policies) {
                if (!p.equals("full") && !p.equals("uncomp")) {
                    throw new IllegalArgumentException("--kv-policies takes full and/or uncomp, got '" + p + "'");
                }
            }
            SplitOption.forgetPercent(split);
            if (!(budget > 0 && budget <= 1)) {
                throw new IllegalArgumentException("--kv-budget must be a fraction in (0, 1], got " + budget);
            }
            if (calibration < 1) {
                throw new IllegalArgumentException("--calibration needs at least 1 prompt");
            }
        }
    }

    public static Map<String, Object> run(BenchShape s, int newTokens, int repeats, Options o) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bench", "uncomp");
        out.put("kv_budget", o.budget());
        out.put("budget_rule", o.equalMemory() ? "equal-memory (4C/3, 2C/3)" : "reference (3C/2, 3C/4)");
        out.putAll(speed(s, newTokens, repeats, o));
        if (o.model() != null) {
            out.put("quality", quality(o, newTokens));
        }
        return out;
    }

    private static Map<String, Object> speed(BenchShape s, int newTokens, int repeats, Options o) {
        DecoderConfig c = s.config(s.seq + newTokens);
        DecoderConfig noEos = c.withTokens(c.vocabSize(), 1, c.vocabSize() + 1, 0);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("layers", s.layers);
        out.put("dim", s.dim);
        out.put("heads", s.heads);
        out.put("kv_heads", s.kvHeads);
        out.put("vocab", s.vocab);
        out.put("batch", s.batch);
        out.put("prompt_tokens", s.seq);
        out.put("new_tokens", newTokens);
        out.put("repeats", repeats);
        try (NDManager root = NDManager.newBaseManager(); Decoder model = Decoder.random(noEos, root, s.seed)) {
            Random r = new Random(s.seed + 1);
            List<long[]> calib = new ArrayList<>();
            for (int i = 0; i < o.calibration(); i++) {
                calib.add(randomIds(r, s.seq, s.vocab));
            }
            UncompPolicy uncomp = policy(model, calib, o);
            out.putAll(cacheShape(uncomp, c, s.seq, s.batch, newTokens));
            Map<String, KvCachePolicy> policies = new LinkedHashMap<>();
            for (String name : o.policies()) {
                policies.put(name, name.equals("full") ? KvCachePolicy.FULL : uncomp);
            }
            boolean reset = Rss.resetPeak();
            Map<String, Map<String, Object>> byPolicy = time(model, policies, s, newTokens, repeats);
            out.putAll(byPolicy);
            // one peak for the process: per policy only when one policy runs (allocators keep freed pages)
            out.put(policies.size() == 1 ? "peak_rss_mb_" + o.policies().get(0) : "peak_rss_mb_process", Rss.peakMb());
            out.put("peak_rss_reset", reset);
            if (byPolicy.size() == 2) {
                out.put("decode_speedup", speedup(byPolicy, "decode_tokens_per_s"));
                out.put("decode_speedup_best", speedup(byPolicy, "decode_tokens_per_s_best"));
                out.put("decode_speedup_cpu", speedup(byPolicy, "decode_tokens_per_cpu_s"));
                out.put("speedup", speedup(byPolicy, "tokens_per_s"));
            }
        }
        return out;
    }

    /** UNComp's {@code metric} over the full cache's, to 3 decimals. */
    private static double speedup(Map<String, Map<String, Object>> byPolicy, String metric) {
        return TrainBench.round((double) byPolicy.get("uncomp").get(metric) / (double) byPolicy.get("full").get(metric), 3);
    }

    /** Keys head h of layer l keeps of an n-token prompt: its budget, at most the prompt. */
    private static int kept(UncompPolicy p, int l, int h, int n) {
        return Math.min(n, p.budget(l, h, n));
    }

    private static UncompPolicy policy(Decoder model, List<long[]> calib, Options o) {
        int[][] high = UncompCalibration.highEntropyHeads(model, calib,
                UncompCalibration.defaultRank(model.config().headDim()));
        return new UncompPolicy(high, KvCapacity.ofFraction(o.budget()), o.equalMemory(), 8, 7);
    }

    private static long[] randomIds(Random r, int n, int vocab) {
        long[] p = new long[n];
        for (int t = 0; t < n; t++) {
            p[t] = r.nextInt(vocab);
        }
        return p;
    }

    /**
     * What UNComp keeps of an N-token prompt: the logical share Σ_l Σ_h min(B_lh, N) / (L·H·N), and the
     * cache size at the end of generation next to the full cache's (compressed layers hold every query
     * head, padded to their largest budget).
     */
    private static Map<String, Object> cacheShape(UncompPolicy p, DecoderConfig c, int n, int batch, int newTokens) {
        int layers = c.numHiddenLayers();
        int heads = c.numAttentionHeads();
        long kept = 0;
        long slotBytes = 0;
        for (int l = 0; l < layers; l++) {
            int slots = 0;
            boolean drops = false;
            for (int h = 0; h < heads; h++) {
                int b = kept(p, l, h, n);
                kept += b;
                slots = Math.max(slots, b);
                drops |= b < n;
            }
            slotBytes += drops ? (long) heads * (slots + newTokens) : (long) c.numKeyValueHeads() * (n + newTokens);
        }
        long fullBytes = (long) layers * c.numKeyValueHeads() * (n + newTokens);
        long perSlot = 2L * batch * c.headDim() * Float.BYTES; // keys and values
        GroupBudget g = p.groupBudget(n);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("group_budget_hi_lo", List.of(Math.max(g.high(), p.window()), Math.max(g.low(), p.window())));
        out.put("kv_retained_ratio", TrainBench.round(kept / (double) ((long) layers * heads * n), 4));
        out.put("kv_cache_mb_full", TrainBench.round(fullBytes * perSlot / 1048576.0, 2));
        out.put("kv_cache_mb_uncomp", TrainBench.round(slotBytes * perSlot / 1048576.0, 2));
        return out;
    }

    /**
     * Greedy decoding through a session, prefill and steps timed apart. Every repeat runs each policy on
     * the same prompts, alternating their order, so drift in a shared machine's load hits both alike; the
     * first repeat warms up.
     */
    private static Map<String, Map<String, Object>> time(Decoder model, Map<String, KvCachePolicy> policies,
                                                         BenchShape s, int newTokens, int repeats) {
        Map<String, List<Double>> prefill = new LinkedHashMap<>();
        Map<String, List<Double>> decode = new LinkedHashMap<>();
        Map<String, List<Double>> decodeCpu = new LinkedHashMap<>();
        Map<String, Long> checksum = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(policies.keySet());
        for (String n : names) {
            prefill.put(n, new ArrayList<>());
            decode.put(n, new ArrayList<>());
            decodeCpu.put(n, new ArrayList<>());
            checksum.put(n, 0L);
        }
        Random r = new Random(s.seed);
        int vocab = model.config().vocabSize();
        for (int rep = 0; rep < repeats + 1; rep++) {
            long[][] ids = new long[s.batch][];
            long[][] mask = new long[s.batch][s.seq];
            for (int b = 0; b < s.batch; b++) {
                ids[b] = randomIds(r, s.seq, s.vocab);
                java.util.Arrays.fill(mask[b], 1);
            }
            List<String> order = new ArrayList<>(names);
            if (rep % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (String name : order) {
                try (NDManager m = model.manager().newSubManager()) {
                    long t0 = System.nanoTime();
                    try (DecodingSession session = model.startDecoding(TokenBatch.of(m, ids, mask, null),
                            policies.get(name))) {
                        long t1 = System.nanoTime();
                        long c1 = CPU.getCurrentThreadCpuTime();
                        long sum = 0;
                        for (int step = 0; step < newTokens; step++) {
                            float[] logits = session.nextLogits().toFloatArray();
                            long[] next = new long[s.batch];
                            for (int b = 0; b < s.batch; b++) {
                                next[b] = argmax(logits, b * vocab, vocab);
                                sum += next[b];
                            }
                            if (step == newTokens - 1) {
                                break;
                            }
                            try (NDManager sm = m.newSubManager()) {
                                session.append(sm.create(next));
                            }
                        }
                        long t2 = System.nanoTime();
                        long c2 = CPU.getCurrentThreadCpuTime();
                        if (rep > 0) {
                            prefill.get(name).add((t1 - t0) / 1e9);
                            decode.get(name).add((t2 - t1) / 1e9);
                            decodeCpu.get(name).add((c2 - c1) / 1e9);
                            checksum.merge(name, sum, Long::sum);
                        }
                    }
                }
            }
        }
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (String name : names) {
            double pre = ScoreBench.median(prefill.get(name));
            double dec = ScoreBench.median(decode.get(name));
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("prefill_s_median", TrainBench.round(pre, 4));
            o.put("decode_s_median", TrainBench.round(dec, 4));
            // after prefill, newTokens − 1 forward passes produce the remaining tokens
            o.put("decode_tokens_per_s", TrainBench.round((double) s.batch * (newTokens - 1) / dec, 1));
            o.put("tokens_per_s", TrainBench.round((double) s.batch * newTokens / (pre + dec), 1));
            // the fastest repeat: on a shared machine the least disturbed one
            double best = decode.get(name).stream().mapToDouble(Double::doubleValue).min().orElse(dec);
            o.put("decode_tokens_per_s_best", TrainBench.round((double) s.batch * (newTokens - 1) / best, 1));
            // libtorch runs each op on the calling thread (one intra-op thread), so this thread's CPU time
            // is the decoding work, little affected by other processes waiting for the cores
            double cpu = ScoreBench.median(decodeCpu.get(name));
            o.put("decode_cpu_s_median", TrainBench.round(cpu, 4));
            o.put("decode_tokens_per_cpu_s", TrainBench.round((double) s.batch * (newTokens - 1) / cpu, 1));
            o.put("token_checksum", checksum.get(name));
            out.put(name, o);
        }
        return out;
    }

    private static int argmax(float[] a, int off, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (a[off + i] > a[off + best]) {
                best = i;
            }
        }
        return best;
    }

    private static final String FORGET = "forget_Q_A_ROUGE";
    private static final String RETAIN = "retain_Q_A_ROUGE";

    private static Map<String, Object> quality(Options o, int newTokens) throws IOException {
        Path dir = ModelDirs.resolve(o.model());
        if (!Files.isRegularFile(dir.resolve(HfCheckpoint.CONFIG))) {
            throw new IllegalArgumentException("--model must be a plain checkpoint (config.json): UNComp compresses "
                    + "a decoder's own cache, " + dir + " is not one");
        }
        Path data = o.data() != null ? o.data() : dir.toAbsolutePath().getParent().resolve("world");
        if (!Files.isDirectory(data)) {
            throw new NoSuchFileException(data.toString(), null, "no TOFU-layout world: pass --data DIR");
        }
        TofuBenchmark bench = TofuBenchmark.load(data);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", dir.toString());
        out.put("data", data.toString());
        out.put("split", o.split());
        try (NDManager root = NDManager.newBaseManager(); Decoder model = HfCheckpoint.load(dir, root);
             LetheTokenizer tok = LetheTokenizer.load(dir.resolve(HfCheckpoint.TOKENIZER))) {
            QaEncoder enc = QaEncoder.of(tok, ChatTemplate.QA);
            List<long[]> calib = new ArrayList<>();
            List<MultipleChoiceItem> calibRows = new ArrayList<>(bench.realAuthors());
            calibRows.addAll(bench.worldFacts());
            for (MultipleChoiceItem row : calibRows.subList(0, Math.min(o.calibration(), calibRows.size()))) {
                calib.add(toLong(enc.encode(row.question(), row.answer()).ids()));
            }
            UncompPolicy uncomp = policy(model, calib, o);
            out.put("calibration_prompts", calib.size());
            out.put("high_entropy_heads", uncomp.highHeads());

            int percent = SplitOption.forgetPercent(o.split());
            double ratio = 0;
            long tokens = 0;
            List<String> questions = new ArrayList<>();
            bench.forgetPerturbed(percent).forEach(it -> questions.add(it.question()));
            bench.retainPerturbed().forEach(it -> questions.add(it.question()));
            int layers = model.config().numHiddenLayers();
            int heads = model.config().numAttentionHeads();
            for (String q : questions) {
                int n = enc.encodePrompt(q).length;
                for (int l = 0; l < layers; l++) {
                    for (int h = 0; h < heads; h++) {
                        ratio += kept(uncomp, l, h, n);
                    }
                }
                tokens += (long) n * layers * heads;
            }
            out.put("prompt_tokens_mean", TrainBench.round(tokens / (double) layers / heads / questions.size(), 1));
            out.put("kv_retained_ratio", TrainBench.round(ratio / tokens, 4));

            EvalOptions eo = EvalOptions.builder().optMetrics(List.of(FORGET, RETAIN)).optMaxNewTokens(newTokens)
                    .optBatchSize(64).build();
            EvalLog full = TofuEvaluator.evaluate(model, tok, bench, o.split(), eo);
            EvalLog comp = TofuEvaluator.evaluate(new KvPolicyModel(model, uncomp), tok, bench, o.split(), eo);
            for (String metric : List.of(FORGET, RETAIN)) {
                MetricResult f = full.metrics().get(metric);
                MetricResult u = comp.metrics().get(metric);
                String key = metric.startsWith("forget") ? "forget" : "retain";
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("rougeL_recall_full", TrainBench.round(f.aggValue(), 4));
                m.put("rougeL_recall_uncomp", TrainBench.round(u.aggValue(), 4));
                m.put("delta", TrainBench.round(u.aggValue() - f.aggValue(), 4));
                int changed = 0;
                for (String idx : f.valueByIndex().keySet()) {
                    if (!Objects.equals(f.entry(idx).get("generation"), u.entry(idx).get("generation"))) {
                        changed++;
                    }
                }
                m.put("items", f.valueByIndex().size());
                m.put("changed_generations", changed);
                out.put(key, m);
            }
        }
        return out;
    }

    private static long[] toLong(int[] ids) {
        long[] out = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = ids[i];
        }
        return out;
    }
}

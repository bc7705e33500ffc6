package dev.lethe.scripts;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.core.io.HfCheckpoint;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.text.LetheTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI contract: generate, eval and attack icl on any HF checkpoint, aggregate as JSON, clear errors on bad input. */
class CliTest {

    record Run(int code, String out, String err) {}

    static Run lethe(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        StringWriter err = new StringWriter();
        int code;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cl = Lethe.commandLine();
            cl.setErr(new PrintWriter(err, true));
            code = cl.execute(args);
        } finally {
            System.setOut(old);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
    }

    static Path shared() {
        return Path.of(System.getProperty("lethe.shared", "../../shared"));
    }

    @Test
    void evalWorksOnATinyRandomCheckpointOverAGeneratedWorld(@TempDir Path tmp) throws Exception {
        Path world = tmp.resolve("world");
        Run gen = lethe("generate", "--out", world.toString(), "--authors", "10", "--seed", "3");
        assertEquals(0, gen.code(), gen.err());
        assertTrue(gen.out().contains("forget10"), gen.out());

        Path ckpt = tmp.resolve("ckpt");
        try (NDManager m = NDManager.newBaseManager();
             LetheTokenizer tok = LetheTokenizer.load(world.resolve("tokenizer.json"))) {
            DecoderConfig c = DecoderConfig.llama(tok.vocabSize(), 32, 48, 2, 4, 2, 256)
                    .withTokens(tok.vocabSize(), tok.bosId(), tok.eosId(), tok.padId());
            try (Decoder d = Decoder.random(c, m, 1)) {
                HfCheckpoint.save(d, tok, null, ckpt);
            }
        }
        Path out = tmp.resolve("eval");
        Run ev = lethe("eval", "--model", ckpt.toString(), "--data", world.toString(), "--split", "forget10",
                "--max-new-tokens", "6", "--out", out.toString());
        assertEquals(0, ev.code(), ev.err());
        JsonNode log = new ObjectMapper().readTree(out.resolve("TOFU_EVAL.json").toFile());
        for (String k : new String[] {"forget_Q_A_Prob", "forget_Q_A_ROUGE", "forget_Truth_Ratio", "retain_Q_A_Prob",
                "ra_Q_A_Prob_normalised", "wf_Truth_Ratio", "model_utility"}) {
            assertTrue(log.has(k), "TOFU_EVAL.json lacks " + k);
        }
        assertEquals(20, log.get("forget_Q_A_Prob").get("value_by_index").size(), "forget10 of 10 authors = 20 items");
        assertTrue(Files.isRegularFile(out.resolve("SUMMARY.json")));

        // the model's own log as retain log: forget quality 1
        Run self = lethe("eval", "--model", ckpt.toString(), "--data", world.toString(), "--max-new-tokens", "6",
                "--retain-logs", out.resolve("TOFU_EVAL.json").toString(), "--out", tmp.resolve("eval2").toString());
        assertEquals(0, self.code(), self.err());
        JsonNode log2 = new ObjectMapper().readTree(tmp.resolve("eval2").resolve("TOFU_EVAL.json").toFile());
        assertEquals(1.0, log2.get("forget_quality").get("agg_value").asDouble(), 1e-12);
    }

    @Test
    void benchUncompPrintsOneJsonLineWithSpeedAndQuality(@TempDir Path tmp) throws Exception {
        Path world = tmp.resolve("world");
        assertEquals(0, lethe("generate", "--out", world.toString(), "--authors", "10", "--seed", "3").code());
        Path ckpt = tmp.resolve("target"); // next to world/, where the bench looks by default
        try (NDManager m = NDManager.newBaseManager();
             LetheTokenizer tok = LetheTokenizer.load(world.resolve("tokenizer.json"))) {
            DecoderConfig c = DecoderConfig.llama(tok.vocabSize(), 32, 48, 2, 4, 2, 256)
                    .withTokens(tok.vocabSize(), tok.bosId(), tok.eosId(), tok.padId());
            try (Decoder d = Decoder.random(c, m, 1)) {
                HfCheckpoint.save(d, tok, null, ckpt);
            }
        }
        Run r = lethe("bench", "uncomp", "--layers", "2", "--dim", "32", "--heads", "4", "--kv-heads", "2", "--ffn", "48",
                "--vocab", "64", "--batch", "2", "--seq", "40", "--new-tokens", "4", "--repeats", "1",
                "--calibration", "2", "--model", ckpt.toString());
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(1, lines.length, r.out());
        JsonNode j = new ObjectMapper().readTree(lines[0]);
        assertEquals("uncomp", j.get("bench").asText());
        // C = 10 of 40: (15, 7) → (15, 8) with the window floor; half the heads each → 23/80 of the prompt
        assertEquals(15, j.get("group_budget_hi_lo").get(0).asInt());
        assertEquals(8, j.get("group_budget_hi_lo").get(1).asInt());
        assertEquals(0.2875, j.get("kv_retained_ratio").asDouble(), 1e-9);
        for (String p : new String[] {"full", "uncomp"}) {
            assertTrue(j.get(p).get("decode_tokens_per_s").asDouble() > 0, p);
        }
        assertTrue(j.has("decode_speedup"));
        JsonNode q = j.get("quality");
        assertEquals(20, q.get("forget").get("items").asInt());
        for (String split : new String[] {"forget", "retain"}) {
            JsonNode s = q.get(split);
            assertEquals(s.get("rougeL_recall_uncomp").asDouble() - s.get("rougeL_recall_full").asDouble(),
                    s.get("delta").asDouble(), 2e-4);
        }
        Run bad = lethe("bench", "uncomp", "--kv-policies", "snap");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("full and/or uncomp"), bad.err());
    }

    @Test
    void aggregatePrintsOneJsonObjectMatchingThePublishedLlamaLogs() throws Exception {
        Path logs = shared().resolve("data/tofu-reference-logs/llama2-7b");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(logs), "no shared reference logs");
        Run r = lethe("aggregate", "--legacy-log", logs.resolve("full/eval_log_aggregated.json").toString(),
                "--retain-legacy-log", logs.resolve("retain90/eval_log_aggregated.json").toString());
        assertEquals(0, r.code(), r.err());
        JsonNode n = new ObjectMapper().readTree(r.out());
        assertEquals(0.62268, n.get("model_utility").asDouble(), 1e-5);
        assertEquals(1.834e-21, n.get("forget_quality").asDouble(), 1.834e-21 * 1e-3);
        for (String k : new String[] {"retain_prob", "retain_rouge", "retain_truth_ratio", "real_authors_prob",
                "real_authors_rouge", "real_authors_truth_ratio", "real_world_prob", "real_world_rouge",
                "real_world_truth_ratio"}) {
            assertTrue(n.has(k), "missing utility component " + k);
        }
        Run same = lethe("aggregate", "--legacy-log", logs.resolve("retain90/eval_log_aggregated.json").toString(),
                "--retain-legacy-log", logs.resolve("retain90/eval_log_aggregated.json").toString());
        assertEquals(1.0, new ObjectMapper().readTree(same.out()).get("forget_quality").asDouble(), 1e-12);
    }

    @Test
    void badInputFailsWithOneClearLine(@TempDir Path tmp) {
        Run r = lethe("eval", "--model", tmp.toString(), "--data", tmp.toString(), "--out", tmp.resolve("o").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("lethe eval:"), r.err());
        Run s = lethe("tofu-mini", "--split", "forget07");
        assertEquals(1, s.code());
        assertTrue(s.err().contains("forget07"), s.err());
        Run t = lethe("tofu", "--data", tmp.resolve("absent").toString(), "--out", tmp.resolve("t").toString());
        assertEquals(1, t.code());
        assertTrue(t.err().contains("lethe tofu:") && t.err().contains("full.json"), t.err());
    }

    @Test
    void tofuAndTofuMiniShareSeedsAndTheirChecks(@TempDir Path tmp) {
        for (String[] args : new String[][] {{"tofu", "--data", tmp.toString()}, {"tofu-mini"}}) {
            String cmd = args[0];
            String[] all = java.util.Arrays.copyOf(args, args.length + 2);
            all[args.length] = "--seeds";
            all[args.length + 1] = "1,2,3";
            CommandLine.ParseResult pr = Lethe.commandLine().parseArgs(all);
            Object command = pr.subcommand().commandSpec().userObject();
            BenchmarkRunOptions run = command instanceof TofuCommand t ? t.run : ((TofuMiniCommand) command).run;
            assertEquals(java.util.List.of(1L, 2L, 3L), run.seeds, cmd);
        }
        // a sweep over real TOFU reaches the data check before any training, like a single run
        Run t = lethe("tofu", "--data", tmp.resolve("absent").toString(), "--seeds", "0,1",
                "--out", tmp.resolve("t").toString());
        assertEquals(1, t.code());
        assertTrue(t.err().contains("full.json"), t.err());
    }

    @Test
    void attackIclWritesAReportOnATinyCheckpoint(@TempDir Path tmp) throws Exception {
        Path world = tmp.resolve("world");
        assertEquals(0, lethe("generate", "--out", world.toString(), "--authors", "10", "--seed", "3").code());
        Path ckpt = tmp.resolve("ckpt");
        try (NDManager m = NDManager.newBaseManager();
             LetheTokenizer tok = LetheTokenizer.load(world.resolve("tokenizer.json"))) {
            DecoderConfig c = DecoderConfig.llama(tok.vocabSize(), 32, 48, 1, 4, 2, 96)
                    .withTokens(tok.vocabSize(), tok.bosId(), tok.eosId(), tok.padId());
            try (Decoder d = Decoder.random(c, m, 1)) {
                HfCheckpoint.save(d, tok, null, ckpt);
            }
        }
        Path out = tmp.resolve("icl.json");
        // the model is its own original and oracle: nothing was forgotten (ρ undefined) and E = 0 everywhere
        Run r = lethe("attack", "icl", "--model", ckpt.toString(), "--original", ckpt.toString(), "--oracle",
                ckpt.toString(), "--world", world.toString(), "--split", "forget10", "--hints", "H1,H3,H4,H5,H7",
                "--shots", "1,2,16", "--max-items", "6", "--max-new-tokens", "4", "--seed", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("H5(16)") && r.out().contains("H7"), r.out());
        JsonNode j = new ObjectMapper().readTree(out.toFile());
        assertEquals(6, j.get("items").asInt());
        assertEquals("contains", j.get("correctness").asText());
        List<String> labels = new java.util.ArrayList<>();
        for (JsonNode c : j.get("conditions")) {
            labels.add(c.get("hint").asText());
            assertTrue(c.get("items").asInt() == 0 || c.get("excess").get("value").asDouble() == 0.0, c.toString());
            assertTrue(c.get("recovery").get("rho").get("value").isNull(), c.toString());
        }
        assertEquals(List.of("H0", "H1", "H3", "H4", "H5(1)", "H5(2)", "H5(16)", "H7"), labels);
        JsonNode h516 = j.get("conditions").get(6);
        assertEquals(0, h516.get("items").asInt(), "16 demos do not fit 96 positions");
        assertTrue(h516.get("too_long").asInt() > 0);
        assertEquals(6, j.get("conditions").get(1).get("items").asInt(), "every item has a passage");
        assertTrue(j.get("many_shot").has("k50"));
        assertEquals("attack:icl", j.get("provenance").get("kind").asText());
        assertEquals(3, j.get("scores").size() - 1, "item ids and the scores of three models");
        assertEquals(6, j.get("scores").get("item_ids").size());

        Run bad = lethe("attack", "icl", "--model", ckpt.toString(), "--world", world.toString(), "--hints", "H9",
                "--out", tmp.resolve("x.json").toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("H9"), bad.err());
    }
}

package dev.lethe.scripts;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.core.io.HfCheckpoint;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.text.ChatTemplate;
import dev.lethe.core.text.LetheTokenizer;
import dev.lethe.core.text.QaEncoder;
import dev.lethe.datasets.tofu.TofuBenchmark;
import dev.lethe.eval.probes.MatrixEntropyProbe;
import dev.lethe.eval.probes.ProbePrompts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.lethe.scripts.CliTest.lethe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lethe probe entropy} on tiny random checkpoints over a generated world. */
class ProbeCommandTest {

    private static void randomCheckpoint(Path world, Path dir, long seed) throws Exception {
        try (NDManager m = NDManager.newBaseManager();
             LetheTokenizer tok = LetheTokenizer.load(world.resolve("tokenizer.json"))) {
            DecoderConfig c = DecoderConfig.llama(tok.vocabSize(), 32, 48, 2, 4, 2, 128)
                    .withTokens(tok.vocabSize(), tok.bosId(), tok.eosId(), tok.padId());
            try (Decoder d = Decoder.random(c, m, seed)) {
                HfCheckpoint.save(d, tok, null, dir);
            }
        }
    }

    @Test
    void aModelAgainstItselfHasZeroDeltaAndTheReportMatchesTheProbe(@TempDir Path tmp) throws Exception {
        Path world = tmp.resolve("world");
        assertEquals(0, lethe("generate", "--out", world.toString(), "--authors", "10", "--seed", "3").code());
        Path target = tmp.resolve("target");
        Path other = tmp.resolve("unlearn/other/model"); // named after its run directory
        randomCheckpoint(world, target, 1);
        randomCheckpoint(world, other, 2);
        Path out = tmp.resolve("probe/entropy.json");
        CliTest.Run r = lethe("probe", "entropy", "--model", target.toString(), "--model", target.toString(),
                "--model", other.toString(), "--data", world.toString(), "--split", "forget10", "--prompts", "6",
                "--rank", "4", "--seed", "5", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode j = new ObjectMapper().readTree(out.toFile());
        assertEquals(List.of("target", "target#2", "other"),
                List.of(j.get("models").get(0).asText(), j.get("models").get(1).asText(), j.get("models").get(2).asText()));
        assertEquals(6, j.get("prompts").get("forget").asInt());
        assertEquals(6, j.get("prompts").get("retain").asInt());
        assertEquals("probe:entropy", j.get("provenance").get("kind").asText());
        assertEquals("prompt", j.get("text").asText());

        // the same checkpoint loaded twice: every Δ and the fingerprints are exactly zero
        JsonNode self = j.get("results").get("target#2");
        for (String s : new String[] {"hidden", "queries", "keys"}) {
            assertEquals(0.0, self.get("fingerprint").get(s).get("value").asDouble(), 0.0, s);
            assertEquals(0.0, self.get("fingerprint").get(s).get("se").asDouble(), 0.0, s);
            for (String set : new String[] {"forget", "retain"}) {
                for (JsonNode row : self.get(s).get(set).get("delta").get("mean")) {
                    for (JsonNode x : row.isArray() ? row : List.of(row)) {
                        assertEquals(0.0, x.asDouble(), 0.0, s + " " + set);
                    }
                }
            }
        }
        assertTrue(r.out().contains("| target#2 | +0.0000 ± 0.0000 | +0.0000 ± 0.0000 | +0.0000 ± 0.0000 |"), r.out());
        // another model differs somewhere
        assertNotEquals(0.0, j.get("results").get("other").get("fingerprint").get("hidden").get("value").asDouble());
        assertEquals(3, j.get("results").get("other").get("hidden").get("forget").get("entropy").get("mean").size());
        assertEquals(4, j.get("results").get("other").get("queries").get("forget").get("entropy").get("mean").get(1).size());
        assertEquals(2, j.get("results").get("other").get("keys").get("retain").get("delta").get("mean").get(0).size());

        // the report holds what the probe gives on the same seeded prompts
        ProbePrompts sets = ProbePrompts.sample(TofuBenchmark.load(world), 10, 6, 5);
        try (NDManager m = NDManager.newBaseManager(); Decoder d = HfCheckpoint.load(target, m);
             LetheTokenizer tok = LetheTokenizer.load(target.resolve(HfCheckpoint.TOKENIZER))) {
            List<long[]> ids = ProbePrompts.encode(sets.retain(), QaEncoder.of(tok, ChatTemplate.QA), false);
            List<MatrixEntropyProbe.Profile> p = new MatrixEntropyProbe(4).perPrompt(d, ids);
            JsonNode pp = j.get("results").get("target").get("queries").get("retain").get("per_prompt");
            for (int i = 0; i < 6; i++) {
                assertEquals(p.get(i).queries()[1][3], pp.get(i).get(1).get(3).asDouble(), 0.0, "prompt " + i);
            }
        }
    }

    @Test
    void withAnswersProbesLongerTextAndCompositeModelsAreRefused(@TempDir Path tmp) throws Exception {
        Path world = tmp.resolve("world");
        assertEquals(0, lethe("generate", "--out", world.toString(), "--authors", "10", "--seed", "3").code());
        Path target = tmp.resolve("target");
        randomCheckpoint(world, target, 1);
        Path a = tmp.resolve("a.json");
        Path b = tmp.resolve("b.json");
        assertEquals(0, lethe("probe", "entropy", "--model", target.toString(), "--data", world.toString(),
                "--prompts", "2", "--out", a.toString()).code());
        CliTest.Run qa = lethe("probe", "entropy", "--model", target.toString(), "--data", world.toString(),
                "--prompts", "2", "--with-answers", "--out", b.toString());
        assertEquals(0, qa.code(), qa.err());
        JsonNode ja = new ObjectMapper().readTree(a.toFile());
        JsonNode jb = new ObjectMapper().readTree(b.toFile());
        assertEquals("width/4", ja.get("rank").asText());
        assertEquals("question+answer", jb.get("text").asText());
        assertNotEquals(ja.get("results").get("target").get("hidden").get("forget").get("per_prompt").get(0).get(2).asDouble(),
                jb.get("results").get("target").get("hidden").get("forget").get("per_prompt").get(0).get(2).asDouble());

        Path uld = tmp.resolve("run/uld");
        Files.createDirectories(uld);
        Files.writeString(uld.resolve("uld.json"), "{}");
        CliTest.Run refused = lethe("probe", "entropy", "--model", target.toString(), "--model", tmp.resolve("run").toString(),
                "--data", world.toString(), "--out", tmp.resolve("c.json").toString());
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("lethe entropy:") && refused.err().contains("is a ULD result"), refused.err());
        assertTrue(!Files.exists(tmp.resolve("c.json")));
        CliTest.Run split = lethe("probe", "entropy", "--model", target.toString(), "--data", world.toString(),
                "--split", "forget07", "--out", tmp.resolve("d.json").toString());
        assertEquals(1, split.code());
        assertTrue(split.err().contains("forget07"), split.err());
        CliTest.Run none = lethe("probe");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("name a probe: entropy"), none.err());
    }
}

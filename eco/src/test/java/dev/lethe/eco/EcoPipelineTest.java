package dev.lethe.eco;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lethe.core.lm.Scorer;
import dev.lethe.core.lm.TokenBatch;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.text.ChatTemplate;
import dev.lethe.core.text.LetheTokenizer;
import dev.lethe.core.text.QaEncoder;
import dev.lethe.core.text.QaEncoding;
import dev.lethe.core.util.Provenance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole method on a 30-author synthetic world, forget10: classifier, conformal gate, tuning, save/load. */
class EcoPipelineTest {

    @TempDir
    static Path tmp;
    static Path world;
    static LetheTokenizer tok;
    static NDManager manager;
    static Decoder target;
    static EcoData data;
    static EcoResult result;

    @BeforeAll
    static void run() throws IOException {
        world = TestWorld.write(tmp);
        tok = LetheTokenizer.load(world);
        manager = NDManager.newBaseManager();
        target = TestWorld.tinyDecoder(tok, manager);
        data = EcoData.fromTofu(world, 10, tok);
        EcoConfig config = EcoConfig.builder().optClassifierSize(32, 32)
                .optTraining(ClassifierTraining.defaults().withEpochs(8)).optConformal(0.1).optSeed(1).build();
        result = Eco.unlearn(target, data, config, tuning());
        System.out.println("ECO classifier on the 30-author world, forget10 (" + result.report().rates().size()
                + " sets), tau = " + result.model().threshold().tau() + ", best epoch " + result.bestEpoch()
                + ", " + String.format("%.1f s", result.seconds()) + "\n" + result.report());
    }

    /** Mean answer probability on a few forget items, tuned toward a fixed surrogate (2 cheap steps). */
    static EcoTuning tuning() {
        QaEncoder qa = QaEncoder.of(tok, ChatTemplate.QA);
        List<long[]> rows = new ArrayList<>();
        List<long[]> labels = new ArrayList<>();
        List<QaEncoding> enc = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            enc.add(qa.encode(data.forget().get(i), "unused"));
        }
        for (QaEncoding e : enc) {
            rows.add(EcoModelTest.toLong(e.ids()));
            labels.add(EcoModelTest.toLong(e.labels()));
        }
        return new EcoTuning(model -> {
            double p = 0;
            for (Scorer.Result r : new Scorer(model).scoreRows(rows, labels, 4, tok.padId())) {
                p += r.probability();
            }
            return p / rows.size();
        }, 0.0, "test surrogate", new ZerothOrderTuner.Settings(8, 4, 10, 2, 1, 32, 0, 0, true));
    }

    @AfterAll
    static void tearDown() {
        result.close();
        target.close();
        manager.close();
        tok.close();
    }

    @Test
    void classifierSeparatesForgetFromRetainQuestions() {
        ClassifierReport r = result.report();
        // Measured (seed 1): forget_train 0.93, paraphrased_test 0.90, retain_validation 0.02, real_authors 0.05,
        // world_facts 0.03; the bounds leave room for engine-level nondeterminism, not for a broken classifier.
        assertTrue(r.rate("forget_train") >= 0.85, r.toString());
        assertTrue(r.rate("paraphrased_test") >= 0.8, r.toString());
        assertTrue(r.rate("retain_validation") <= 0.1, r.toString());
        assertTrue(r.rate("real_authors") <= 0.1, r.toString());
        assertTrue(r.rate("world_facts") <= 0.1, r.toString());
        assertEquals(Threshold.Mode.CONFORMAL, result.model().threshold().mode());
        assertEquals(30, result.model().threshold().n(), "half of the 60 paraphrases calibrate");
        assertTrue(r.rate("paraphrased_calibration") >= 0.9, "in-sample coverage >= 1 - alpha");
    }

    @Test
    void tuningLogsEveryQuery() {
        ZerothOrderTuner.Result t = result.tuning();
        assertNotNull(t);
        assertEquals(5, t.queries().size());
        assertEquals(t.best(), result.model().corruption().tunedParameter(), 0.5);
    }

    @Test
    void resultDirectoryRoundTrips() throws IOException {
        Path dir = tmp.resolve("eco-run");
        Path targetPath = tmp.resolve("target-checkpoint");
        EcoStore.save(result, targetPath, dir);
        assertTrue(Files.isRegularFile(dir.resolve("classifier/model.safetensors")));
        assertTrue(Files.isRegularFile(dir.resolve(Provenance.FILE)));
        assertEquals(targetPath.toAbsolutePath().normalize(), EcoStore.targetPath(dir));
        JsonNode json = new ObjectMapper().readTree(dir.resolve(EcoStore.FILE).toFile());
        assertEquals(5, json.path("tuning").path("queries").size());
        assertEquals(0.1, json.path("gate").path("alpha").asDouble());
        try (EcoModel loaded = EcoStore.load(dir, target); NDManager m = manager.newSubManager()) {
            assertEquals(result.model().threshold(), loaded.threshold());
            assertEquals(result.model().corruption(), loaded.corruption());
            QaEncoder qa = QaEncoder.of(tok, ChatTemplate.QA);
            List<QaEncoding> rows = List.of(qa.encode(data.forget().get(0), "Answer."),
                    qa.encode(data.retain().get(0), "Answer."));
            List<int[]> prompts = List.of(qa.encodePrompt(data.forget().get(0)), qa.encodePrompt(data.retain().get(0)));
            assertArrayEquals(result.model().margins(prompts), loaded.margins(prompts));
            TokenBatch b = EcoModelTest.scoringWith(m, rows, tok.padId());
            assertArrayEquals(result.model().logits(b).toFloatArray(), loaded.logits(b).toFloatArray());
        }
    }
}

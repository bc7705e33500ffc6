package dev.lethe.scripts.tofu;

import dev.lethe.core.text.LetheTokenizer;
import dev.lethe.core.util.Provenance;
import dev.lethe.datasets.synth.WorldSpec;
import dev.lethe.datasets.synth.WorldWriter;
import dev.lethe.datasets.tofu.TofuBenchmark;
import dev.lethe.datasets.tofu.TofuSplits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The data-source step of {@code lethe tofu --data DIR}: split files copied, a BPE tokenizer and a corpus built. */
class TofuDataTest {

    @Test
    void preparesATofuLayoutDirectoryWithoutTokenizerOrCorpus(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("data");
        WorldWriter.write(data, WorldSpec.of(4, 7));
        // what real TOFU lacks: no tokenizer, no corpus, no entity list, no manifest
        for (String f : List.of(WorldWriter.TOKENIZER_FILE, WorldWriter.PRETRAIN_FILE, WorldWriter.ENTITIES_FILE,
                WorldWriter.MANIFEST_FILE)) {
            Files.deleteIfExists(data.resolve(f));
        }
        assertPrepared(data, tmp.resolve("world"));
    }

    /** The same on the head of the real files (the first 40 rows of each: two authors), when they are at hand. */
    @Test
    void preparesTheHeadOfTheRealTofuFiles(@TempDir Path tmp) throws Exception {
        Path real = Path.of(System.getProperty("lethe.shared", "../../shared")).resolve("data/tofu");
        assumeTrue(Files.isRegularFile(real.resolve("full.json")), "real TOFU files not found");
        Path data = Files.createDirectories(tmp.resolve("data"));
        for (String name : TofuSplits.names()) {
            Path f = real.resolve(TofuSplits.fileName(name));
            if (Files.isRegularFile(f)) {
                try (Stream<String> lines = Files.lines(f)) {
                    Files.write(data.resolve(f.getFileName()), lines.limit(40).toList());
                }
            }
        }
        assertPrepared(data, tmp.resolve("world"));
    }

    private static void assertPrepared(Path data, Path world) throws Exception {
        int vocab = 400;
        TofuData.prepare(data, world, vocab, false);
        TofuBenchmark bench = TofuBenchmark.load(world);
        assertEquals(TofuBenchmark.load(data).full(), bench.full());
        assertFalse(Files.exists(world.resolve(WorldWriter.ENTITIES_FILE)));

        try (LetheTokenizer tok = LetheTokenizer.load(world.resolve(WorldWriter.TOKENIZER_FILE))) {
            assertTrue(tok.vocabSize() > 256 && tok.vocabSize() <= vocab, "vocab " + tok.vocabSize());
            assertTrue(tok.eosId() >= 0 && tok.padId() >= 0);
            String answer = bench.full().get(0).answer();
            int[] ids = tok.encode(answer);
            assertTrue(ids.length < answer.getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
                    "BPE merges shorten the text: " + ids.length + " ids for " + answer);
            assertEquals(answer, tok.decode(ids, true).strip());
        }
        List<String> corpus = Files.readAllLines(world.resolve(WorldWriter.PRETRAIN_FILE));
        assertEquals(Recipes.worldKnowledge(bench).size(), corpus.size());
        assertTrue(corpus.get(0).startsWith(Recipes.worldKnowledge(bench).get(0).question()));

        // prepared once: a second call with the same inputs keeps the directory as it is
        String hash = Provenance.sha256(world);
        long before = Files.getLastModifiedTime(world.resolve(WorldWriter.TOKENIZER_FILE)).toMillis();
        TofuData.prepare(data, world, vocab, false);
        assertEquals(hash, Provenance.sha256(world));
        assertEquals(before, Files.getLastModifiedTime(world.resolve(WorldWriter.TOKENIZER_FILE)).toMillis());
    }
}

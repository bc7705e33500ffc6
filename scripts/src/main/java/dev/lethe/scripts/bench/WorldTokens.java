package dev.lethe.scripts.bench;

import dev.lethe.core.text.LetheTokenizer;
import dev.lethe.core.util.AtomicFiles;
import dev.lethe.datasets.synth.WorldSpec;
import dev.lethe.datasets.synth.WorldWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The synthetic world's pretraining corpus as two token streams: documents (one per line of
 * {@code pretrain.txt}, already shuffled by the generator) each followed by EOS, the first
 * {@code 1 − heldOut} of them for training and the rest held out. Built in memory from {@link WorldWriter#render}
 * of a 10-author world: the pretraining corpus does not depend on the number of (fictitious) authors, and the
 * smaller world keeps the word-level vocabulary to the corpus's own words.
 *
 * @param train training stream
 * @param heldOut held-out stream (different documents)
 * @param vocab vocabulary size
 * @param bos beginning-of-sequence id
 * @param eos end-of-sequence id (also the document separator)
 * @param pad padding id
 */
public record WorldTokens(int[] train, int[] heldOut, int vocab, int bos, int eos, int pad) {

    public static WorldTokens of(long seed, double heldOut) throws IOException {
        if (!(heldOut > 0 && heldOut < 1)) {
            throw new IllegalArgumentException("held-out fraction must be in (0, 1), got " + heldOut);
        }
        Map<String, String> files = WorldWriter.render(WorldSpec.of(10, seed));
        Path dir = Files.createTempDirectory("lethe-world-tokens");
        try {
            Path json = dir.resolve(WorldWriter.TOKENIZER_FILE);
            Files.writeString(json, files.get(WorldWriter.TOKENIZER_FILE));
            try (LetheTokenizer tok = LetheTokenizer.load(json)) {
                List<String> docs = files.get(WorldWriter.PRETRAIN_FILE).lines().filter(l -> !l.isBlank()).toList();
                int split = (int) Math.round(docs.size() * (1 - heldOut));
                return new WorldTokens(stream(tok, docs.subList(0, split)),
                        stream(tok, docs.subList(split, docs.size())), tok.vocabSize(), tok.bosId(), tok.eosId(), tok.padId());
            }
        } finally {
            AtomicFiles.deleteRecursively(dir);
        }
    }

    private static int[] stream(LetheTokenizer tok, List<String> docs) {
        List<Integer> out = new ArrayList<>();
        for (String d : docs) {
            for (int id : tok.encode(d)) {
                out.add(id);
            }
            out.add(tok.eosId());
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** {@code n} tokens of the held-out stream from {@code start}, wrapping around (long prompts). */
    public long[] heldOutSpan(int start, int n) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = heldOut[(start + i) % heldOut.length];
        }
        return out;
    }
}

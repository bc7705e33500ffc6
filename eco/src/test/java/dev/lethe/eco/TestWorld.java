package dev.lethe.eco;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.model.DecoderConfig;
import dev.lethe.core.text.LetheTokenizer;
import dev.lethe.datasets.synth.WorldSpec;
import dev.lethe.datasets.synth.WorldWriter;

import java.io.IOException;
import java.nio.file.Path;

/** A small synthetic world (30 authors, forget10 = 3 authors) and a tiny random decoder over its tokenizer. */
final class TestWorld {

    static final WorldSpec SPEC = WorldSpec.of(30, 7);

    private TestWorld() {}

    static Path write(Path tmp) throws IOException {
        Path dir = tmp.resolve("world");
        WorldWriter.write(dir, SPEC);
        return dir;
    }

    static DecoderConfig tinyConfig(LetheTokenizer tok) {
        return DecoderConfig.llama(tok.vocabSize(), 32, 64, 2, 4, 2, 256)
                .withTokens(tok.vocabSize(), tok.bosId(), tok.eosId(), tok.padId());
    }

    static Decoder tinyDecoder(LetheTokenizer tok, NDManager m) {
        return Decoder.random(tinyConfig(tok), m, 1);
    }
}

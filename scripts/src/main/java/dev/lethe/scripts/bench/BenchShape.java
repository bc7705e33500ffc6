package dev.lethe.scripts.bench;

import dev.lethe.core.model.DecoderConfig;
import picocli.CommandLine.Option;

/** The model and batch shape a benchmark runs on (defaults: the 4-layer, 256-wide reference shape). */
public final class BenchShape {
    @Option(names = "--layers", description = "decoder layers (default ${DEFAULT-VALUE})")
    int layers = 4;
    @Option(names = "--dim", description = "hidden size (default ${DEFAULT-VALUE})")
    int dim = 256;
    @Option(names = "--heads", description = "query heads (default ${DEFAULT-VALUE})")
    int heads = 4;
    @Option(names = "--kv-heads", description = "key/value heads (default ${DEFAULT-VALUE})")
    int kvHeads = 4;
    @Option(names = "--ffn", description = "SwiGLU hidden size (default ${DEFAULT-VALUE})")
    int ffn = 704;
    @Option(names = "--vocab", description = "vocabulary size (default ${DEFAULT-VALUE})")
    int vocab = 2048;
    @Option(names = "--batch", description = "batch size (default ${DEFAULT-VALUE})")
    int batch = 16;
    @Option(names = "--seq", description = "sequence length (default ${DEFAULT-VALUE})")
    int seq = 128;
    @Option(names = "--seed", description = "seed (default ${DEFAULT-VALUE})")
    long seed = 0;

    public int layers() {
        return layers;
    }

    public int dim() {
        return dim;
    }

    public int heads() {
        return heads;
    }

    public int kvHeads() {
        return kvHeads;
    }

    public int ffn() {
        return ffn;
    }

    public int batch() {
        return batch;
    }

    /** The seed of weights and data. */
    public long seed() {
        return seed;
    }

    public DecoderConfig config(int maxLen) {
        return DecoderConfig.llama(vocab, dim, ffn, layers, heads, kvHeads, Math.max(maxLen, 2048));
    }

    /** Parameters that take part in matrix products (everything but the embedding lookup and norms). */
    public long matmulParameters() {
        DecoderConfig c = config(seq);
        long kv = (long) kvHeads * c.headDim();
        long perLayer = 2L * dim * dim + 2L * dim * kv + 3L * dim * ffn;
        return perLayer * layers + (long) vocab * dim;
    }

    /** Forward FLOPs per token at context {@code t}: 2·N_matmul + 4·L·t·d (scores and weighted sum, causal ≈ half of 2·2). */
    public double forwardFlopsPerToken(int t) {
        return 2.0 * matmulParameters() + 4.0 * layers * t * dim;
    }
}

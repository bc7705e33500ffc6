package dev.lethe.uld;

import dev.lethe.core.model.Decoder;
import dev.lethe.core.text.QaEncoder;
import dev.lethe.datasets.tofu.TofuBenchmark;

/**
 * ULD's entry points, for the method registry and the CLI:
 * <pre>
 * UldDataset data = UldAugmentation.fromBenchmark(bench, 10, config);
 * try (UldResult r = Uld.unlearn(target, data, encoder, config)) {
 *     UldCheckpoint.save(out, targetDir, r);
 *     LanguageModel unlearned = r.model(target);     // z_target − α·z'_assistant
 * }
 * </pre>
 */
public final class Uld {

    /** The registry name. */
    public static final String NAME = "uld";

    private Uld() {}

    /**
     * Trains the assistant on prepared data.
     *
     * @param target the frozen target (never modified)
     * @param data D'_f and D'_r (see {@link UldAugmentation})
     * @param encoder the target's tokenizer and chat template
     */
    public static UldResult unlearn(Decoder target, UldDataset data, QaEncoder encoder, UldConfig config) {
        return new UldTrainer(config).train(target, data, encoder);
    }

    /** Augments TOFU split {@code forgetXX} of {@code bench} as uld.md §3, then trains the assistant. */
    public static UldResult unlearn(Decoder target, TofuBenchmark bench, int forgetPercent, QaEncoder encoder,
                                    UldConfig config) throws java.io.IOException {
        return unlearn(target, UldAugmentation.fromBenchmark(bench, forgetPercent, config), encoder, config);
    }
}

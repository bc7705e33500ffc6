package dev.lethe.scripts.tofu;

import java.util.List;
import java.util.Map;

/**
 * A preset far below {@code tiny} for tests: 20 authors, one layer of width 32, one pretraining and two
 * finetuning epochs, short generations, an 8-item ICL attack. Its numbers mean nothing; it runs the whole pipeline in seconds,
 * which is what a determinism test needs.
 */
final class MicroPreset {

    private MicroPreset() {}

    static Preset of(List<String> methods) {
        return new Preset("micro", 20, 42, 32, 1, 2, 1, 64, 128,
                new TrainSpec(1, 3e-3, 32, 0.05, 0.01),
                new TrainSpec(2, 3e-3, 32, 0.05, 0.01),
                Map.of("lr", "1e-3", "epochs", "1", "batch_size", "16"),
                64, 16, methods, new IclSpec(8, 16));
    }

    /** Options of a micro run of {@code methods} into {@code out}; ULD trains one epoch. */
    static TofuMini.Options options(List<String> methods, long seed, java.nio.file.Path out, java.nio.file.Path world) {
        Map<String, MethodRunner> extra = new java.util.LinkedHashMap<>();
        extra.put("uld", new UldRunner());
        extra.put("eco", new EcoRunner());
        return new TofuMini.Options(of(methods), "forget10", methods, seed, out, false, false, false,
                Map.of("uld", Map.of("epochs", "1")), extra, world);
    }
}

package dev.lethe.scripts.tofu;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.io.HfCheckpoint;
import dev.lethe.core.lm.LanguageModel;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.text.LetheTokenizer;
import dev.lethe.eco.EcoModel;
import dev.lethe.eco.EcoStore;
import dev.lethe.uld.UldCheckpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Opens whatever a Lethe command wrote as a servable model: an HF checkpoint directory, a ULD result
 * ({@code uld.json}), an ECO result ({@code eco.json}), or an unlearning run directory holding one of them
 * under {@code model/}, {@code uld/} or {@code eco/}.
 */
public final class ModelDirs {

    private ModelDirs() {}

    /** A model and the tokenizer it was trained with; closing closes both. */
    public record Opened(LanguageModel model, LetheTokenizer tokenizer, String kind, Path dir) implements AutoCloseable {
        @Override
        public void close() {
            try {
                model.close();
            } finally {
                tokenizer.close();
            }
        }
    }

    /** The directory that actually holds the model (the run directory's {@code model/}, {@code uld/} or {@code eco/}). */
    public static Path resolve(Path dir) throws IOException {
        for (String sub : new String[] {"model", "uld", "eco"}) {
            if (Files.isDirectory(dir.resolve(sub)) && !isModel(dir)) {
                return dir.resolve(sub);
            }
        }
        if (!isModel(dir)) {
            throw new NoSuchFileException(dir.toString(), null,
                    "not a model: expected config.json (HF checkpoint), uld.json (ULD) or eco.json (ECO)");
        }
        return dir;
    }

    private static boolean isModel(Path dir) {
        return Files.isRegularFile(dir.resolve(HfCheckpoint.CONFIG)) || Files.isRegularFile(dir.resolve(UldCheckpoint.FILE))
                || Files.isRegularFile(dir.resolve(EcoStore.FILE));
    }

    public static Opened open(Path given, NDManager manager) throws IOException {
        Path dir = resolve(given);
        if (Files.isRegularFile(dir.resolve(UldCheckpoint.FILE))) {
            UldCheckpoint.Loaded l = UldCheckpoint.load(dir, p -> HfCheckpoint.load(p, manager));
            return new Opened(new OwningModel(l.model(), l), LetheTokenizer.load(l.targetDir().resolve(HfCheckpoint.TOKENIZER)),
                    "uld", dir);
        }
        if (Files.isRegularFile(dir.resolve(EcoStore.FILE))) {
            Path targetDir = EcoStore.targetPath(dir);
            Decoder target = HfCheckpoint.load(targetDir, manager);
            try {
                EcoModel m = EcoStore.load(dir, target);
                return new Opened(new OwningModel(m, m, target), LetheTokenizer.load(targetDir.resolve(HfCheckpoint.TOKENIZER)),
                        "eco", dir);
            } catch (IOException | RuntimeException e) {
                target.close();
                throw e;
            }
        }
        Decoder d = HfCheckpoint.load(dir, manager);
        try {
            return new Opened(d, LetheTokenizer.load(dir.resolve(HfCheckpoint.TOKENIZER)), "decoder", dir);
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
    }
}

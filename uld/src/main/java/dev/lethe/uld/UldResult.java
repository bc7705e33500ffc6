package dev.lethe.uld;

import dev.lethe.core.lm.LanguageModel;
import dev.lethe.core.train.TrainResult;

import java.util.Map;

/**
 * What {@link Uld#unlearn} produces: the trained assistant, the settings it was trained with (α and r included,
 * for inference), the training log and the sizes of the augmented sets. Closing it frees the assistant.
 *
 * @param assistant the trained assistant (adapters not merged yet)
 * @param config the full settings
 * @param training losses, gradient norms and timings of the assistant's training
 * @param dataCounts examples per source in D'_f and D'_r
 * @param dataSource where the augmentation texts came from ({@link UldDataset#source()})
 */
public record UldResult(Assistant assistant, UldConfig config, TrainResult training,
                        Map<UldExample.Source, Integer> dataCounts, String dataSource) implements AutoCloseable {

    public UldResult {
        // an EnumMap keeps the sources in declaration order (Map.copyOf would reorder uld.json per JVM)
        java.util.EnumMap<UldExample.Source, Integer> ordered = new java.util.EnumMap<>(UldExample.Source.class);
        ordered.putAll(dataCounts);
        dataCounts = java.util.Collections.unmodifiableMap(ordered);
    }

    /**
     * The unlearned model over {@code target} with this result's α and r. Merges the adapters into the assistant
     * first (inference speed; the reference does the same). The returned model does not own either model.
     */
    public LogitDifferenceModel model(LanguageModel target) {
        assistant.merge();
        return LogitDifferenceModel.builder().setTarget(target).setAssistant(assistant.decoder())
                .optConfig(config).build();
    }

    @Override
    public void close() {
        assistant.close();
    }
}

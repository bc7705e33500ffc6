package dev.lethe.eco;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What {@link Eco#unlearn} produced: the gated model and everything a report or {@link EcoStore} needs.
 *
 * @param model the ECO model (owns the classifier; close it when done)
 * @param report flag rates per prompt set at the chosen threshold
 * @param bestEpoch the classifier epoch kept
 * @param finalLoss the classifier's last training loss
 * @param calibrationSource what the conformal threshold was calibrated on
 * @param calibrationSha256 SHA-256 of the calibration questions (newline-joined, in order)
 * @param tuning the zeroth-order log, or null when the corruption was not tuned
 * @param tuningTarget the surrogate value tuned toward (NaN when not tuned)
 * @param tuningTargetSource where that value came from (null when not tuned)
 * @param config the run's settings
 * @param inputs input name → SHA-256
 * @param entities entity texts the selector knows (empty unless the entity selector is used)
 * @param tokenizerFile the tokenizer.json of the target, when known (copied by {@link EcoStore})
 * @param seconds wall time
 */
public record EcoResult(EcoModel model, ClassifierReport report, int bestEpoch, double finalLoss,
                        String calibrationSource, String calibrationSha256, ZerothOrderTuner.Result tuning,
                        double tuningTarget, String tuningTargetSource, EcoConfig config, Map<String, String> inputs,
                        List<String> entities, Path tokenizerFile, double seconds) implements AutoCloseable {

    @Override
    public void close() {
        model.close();
    }
}

package dev.lethe.scripts.tofu;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One training recipe: epochs over the data, peak learning rate, batch size, warm-up fraction and
 * weight decay (AdamW, linear decay after warm-up, clipping at 1.0).
 */
public record TrainSpec(double epochs, double learningRate, int batchSize, double warmupFraction, double weightDecay) {

    public Map<String, String> describe(String prefix) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(prefix + ".epochs", Double.toString(epochs));
        m.put(prefix + ".lr", Double.toString(learningRate));
        m.put(prefix + ".batch", Integer.toString(batchSize));
        m.put(prefix + ".warmup", Double.toString(warmupFraction));
        m.put(prefix + ".weight_decay", Double.toString(weightDecay));
        return m;
    }
}

package dev.lethe.scripts.tofu;

import ai.djl.ndarray.NDManager;
import dev.lethe.core.model.Decoder;
import dev.lethe.core.text.ChatTemplate;
import dev.lethe.core.text.LetheTokenizer;
import dev.lethe.core.text.QaEncoder;
import dev.lethe.datasets.tofu.TofuBenchmark;
import dev.lethe.datasets.tofu.TofuSplits;
import dev.lethe.eval.metrics.engine.EvalLog;

import java.nio.file.Path;
import java.util.Map;

/**
 * What an unlearning method gets from the pipeline: the data, the tokenizer, the target (and where it is
 * saved), the oracle's evaluation log, the seed and the user's overrides.
 *
 * @param overrides {@code --set key=value} settings, by method name ("*" for all methods)
 */
public record PipelineContext(Preset preset, String split, long seed, Path world, TofuBenchmark bench,
                              LetheTokenizer tokenizer, Decoder target, Path targetDir, EvalLog oracleLog,
                              NDManager manager, Map<String, Map<String, String>> overrides, boolean progress) {

    public int forgetPercent() {
        return TofuSplits.forgetPercent(split);
    }

    public QaEncoder encoder() {
        return QaEncoder.of(tokenizer, ChatTemplate.QA);
    }
}

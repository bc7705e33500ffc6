package dev.lethe.core.lm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.lethe.core.model.DecoderConfig;

/**
 * Anything that answers "what are the next-token logits for this batch?": a plain decoder, a fine-tuned
 * copy, ULD's logit difference, ECO's corrupted prompts. The evaluator, generator and attacks only see
 * this interface, so every unlearning method is measured the same way.
 *
 * <p>Arrays passed in belong to the caller's (per-batch) manager; results attach to the same manager.
 */
public interface LanguageModel extends AutoCloseable {

    /** Vocabulary and special tokens; for composite models, those of the served (target) model. */
    DecoderConfig config();

    /** The manager that owns the model's weights (use a sub-manager of it for per-batch work). */
    NDManager manager();

    /**
     * Teacher-forced logits {@code [B, T, V]}: position t predicts token t+1.
     *
     * @param batch right-padded token ids with their attention mask and, optionally, prompt lengths
     */
    NDArray logits(TokenBatch batch);

    /**
     * Teacher-forced logits at some positions only, {@code [N, V]}: row i holds the logits at flat position
     * {@code positions[i] = b·T + t} of the batch. Scoring needs the labelled positions alone (in QA data
     * the prompt is not scored), and a model that can skip the LM head elsewhere should: it is the largest
     * matrix product of a small model. The default computes every position and picks the rows.
     *
     * @param positions int64 {@code [N]}, each in {@code [0, B·T)}
     */
    default NDArray logitsAt(TokenBatch batch, NDArray positions) {
        NDArray all = logits(batch);
        Shape s = all.getShape();
        return all.reshape(s.get(0) * s.get(1), s.get(2)).get(positions);
    }

    /**
     * Starts incremental decoding from a left-padded prompt batch. The session's logits predict the token
     * after each row's last prompt token.
     */
    DecodingSession startDecoding(TokenBatch prompt);

    @Override
    void close();
}

package dev.lethe.uld;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import dev.lethe.core.lora.Lora;
import dev.lethe.core.model.Decoder;

import java.util.Map;

/**
 * ULD's assistant: a K-layer decoder whose weights are frozen copies of the target's embedding, first K layers,
 * final norm and LM head, plus LoRA adapters on every linear layer of those K layers (the only trainable
 * tensors). Made by {@link AssistantBuilder}.
 *
 * <p>The assistant is itself a {@link dev.lethe.core.lm.LanguageModel} through {@link #decoder()}. Closing it frees
 * the copied weights and the adapters; the target is untouched.
 */
public final class Assistant implements AutoCloseable {

    private final Decoder decoder;
    private final Lora lora;
    private final int targetLayers;

    Assistant(Decoder decoder, Lora lora, int targetLayers) {
        this.decoder = decoder;
        this.lora = lora;
        this.targetLayers = targetLayers;
    }

    /** The K-layer model (adapters applied in its projections, or merged into them). */
    public Decoder decoder() {
        return decoder;
    }

    public Lora lora() {
        return lora;
    }

    /** K. */
    public int layers() {
        return decoder.config().numHiddenLayers();
    }

    /** Layer count of the target it was cut from. */
    public int targetLayers() {
        return targetLayers;
    }

    /** The trainable tensors (LoRA A and B) by PEFT name; everything else is frozen. */
    public Map<String, Parameter> trainableParameters() {
        return lora.parameters();
    }

    /** Adapter tensors by PEFT name, for {@link dev.lethe.core.io.SafetensorsWriter}. */
    public Map<String, NDArray> adapterTensors() {
        return lora.tensors();
    }

    /**
     * Folds the adapters into the copied weights for inference (the reference's {@code merge_and_unload}): one
     * matmul per projection instead of three. Idempotent; the adapter tensors stay available for saving.
     */
    public void merge() {
        lora.merge();
    }

    /** Undoes {@link #merge} (before further training). */
    public void unmerge() {
        lora.unmerge();
    }

    @Override
    public void close() {
        decoder.close();
    }
}

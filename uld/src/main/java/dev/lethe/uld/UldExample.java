package dev.lethe.uld;

/**
 * One training pair of ULD's augmented sets.
 *
 * @param question prompt text (before the chat template)
 * @param answer answer text
 * @param source where the pair comes from
 * @param item index of the originating row in its split (forget or retain)
 */
public record UldExample(String question, String answer, Source source, int item) {

    /** Origin of an example. */
    public enum Source {
        /** An original forget QA (D'_f). */
        FORGET,
        /** A forget QA with a paraphrased question and/or answer (D'_f). */
        FORGET_PARAPHRASE,
        /** A regular retain QA (D'_r). */
        RETAIN,
        /** A forget question with a perturbed (wrong) answer (D'_r): teaches the assistant only the true one. */
        FORGET_PERTURBED
    }

    public UldExample {
        if (question == null || answer == null || source == null) {
            throw new IllegalArgumentException("question, answer and source are required");
        }
    }
}

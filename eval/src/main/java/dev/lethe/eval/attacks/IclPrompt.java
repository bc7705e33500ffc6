package dev.lethe.eval.attacks;

/**
 * What the model under attack is asked: a context (empty for H0) placed before the question, under the
 * same template for every condition.
 */
public record IclPrompt(String context, String question) {

    /** The single text handed to a chat template: context, blank line, question. */
    public String text() {
        return context.isEmpty() ? question : context + "\n\n" + question;
    }
}

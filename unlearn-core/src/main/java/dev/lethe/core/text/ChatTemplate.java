package dev.lethe.core.text;

import java.util.List;
import java.util.Locale;

/**
 * A tag-mode prompt template as in open-unlearning ({@code template_args}, tofu-eval §1.4):
 * <pre>
 *   prompt = systemPrefix + userStart + question + userEnd + assistantStart
 *   full   = prompt + answer + assistantEnd
 * </pre>
 * DJL's tokenizer cannot render Jinja chat templates, so the Llama-3 chat format is hard-coded here.
 *
 * <p>Named templates:
 * <ul>
 *   <li>{@code qa}: {@code "Question: " + q + "\n" + "Answer: " + a} (Phi-1.5, Llama-2-7b-hf; Lethe's default).</li>
 *   <li>{@code llama2}: {@code "[INST] " + q + " [/INST]" + a} (no space before the answer, as in TOFU).</li>
 *   <li>{@code llama3}: the Llama-3.x Instruct format with system prompt "You are a helpful assistant." and
 *       open-unlearning's {@code date_string} "10 Apr 2025"; exactly
 *       <pre>
 * &lt;|begin_of_text|&gt;&lt;|start_header_id|&gt;system&lt;|end_header_id|&gt;\n\nCutting Knowledge Date: December 2023\nToday Date: 10 Apr 2025\n\nYou are a helpful assistant.&lt;|eot_id|&gt;&lt;|start_header_id|&gt;user&lt;|end_header_id|&gt;\n\n{q}&lt;|eot_id|&gt;&lt;|start_header_id|&gt;assistant&lt;|end_header_id|&gt;\n\n{a}&lt;|eot_id|&gt;</pre>
 *       which is what {@code apply_chat_template(..., date_string="10 Apr 2025")} renders for Llama-3.2. The text
 *       starts with the BOS string, so encoding does not add a second BOS; {@code <|eot_id|>} closes the answer
 *       and is scored (it is Llama-3-Instruct's EOS, so no extra EOS is appended).</li>
 *   <li>{@code plain}: {@code q + "\n" + a} — no tags, for pretrained-only models.</li>
 * </ul>
 */
public record ChatTemplate(String name, String systemPrefix, String userStart, String userEnd,
                           String assistantStart, String assistantEnd) {

    public static final String LLAMA3_SYSTEM_PREFIX = "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
            + "Cutting Knowledge Date: December 2023\nToday Date: 10 Apr 2025\n\n"
            + "You are a helpful assistant.<|eot_id|>";

    public static final ChatTemplate QA = new ChatTemplate("qa", "", "Question: ", "\n", "Answer: ", "");
    public static final ChatTemplate LLAMA2 = new ChatTemplate("llama2", "", "[INST] ", " [/INST]", "", "");
    public static final ChatTemplate LLAMA3 = new ChatTemplate("llama3", LLAMA3_SYSTEM_PREFIX,
            "<|start_header_id|>user<|end_header_id|>\n\n", "<|eot_id|>",
            "<|start_header_id|>assistant<|end_header_id|>\n\n", "<|eot_id|>");
    public static final ChatTemplate PLAIN = new ChatTemplate("plain", "", "", "\n", "", "");

    public ChatTemplate {
        for (String s : List.of(name, systemPrefix, userStart, userEnd, assistantStart, assistantEnd)) {
            if (s == null) {
                throw new IllegalArgumentException("template parts must not be null (use \"\")");
            }
        }
    }

    /** Template by name: qa, llama2, llama3, plain (case-insensitive). */
    public static ChatTemplate named(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "qa": return QA;
            case "llama2": return LLAMA2;
            case "llama3": return LLAMA3;
            case "plain": return PLAIN;
            default: throw new IllegalArgumentException("unknown template '" + name + "'; known: " + names());
        }
    }

    public static List<String> names() {
        return List.of("qa", "llama2", "llama3", "plain");
    }

    /** The generation prompt: everything before the answer. */
    public String prompt(String question) {
        return systemPrefix + userStart + question + userEnd + assistantStart;
    }

    /** Prompt followed by the answer and the closing assistant tag. */
    public String full(String question, String answer) {
        return prompt(question) + answer + assistantEnd;
    }
}

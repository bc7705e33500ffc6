/**
 * Builds HuggingFace {@code tokenizer.json} files from a corpus, in Java (the DJL tokenizer JNI can load but not
 * train tokenizers, djl-notes §6):
 * <ul>
 *   <li>{@link dev.lethe.datasets.vocab.WordLevelTokenizerBuilder} — word level, case kept, punctuation split
 *       ({@code Whitespace} pre-tokenizer: {@code \w+|[^\w\s]+}); the default for the synthetic world, whose
 *       regular language fits a 1–3k vocabulary that tiny models can memorise.</li>
 *   <li>{@link dev.lethe.datasets.vocab.BpeTokenizerBuilder} — byte-level BPE (GPT-2 style) with a small
 *       deterministic trainer, for real text such as TOFU.</li>
 * </ul>
 * Both write {@code <pad> <bos> <eos> <unk>} (ids 0–3, configurable) as special added tokens, a
 * {@code TemplateProcessing} post-processor that puts BOS before the text, and no padding or truncation
 * section. Output is deterministic: same corpus and options, same bytes.
 */
package dev.lethe.datasets.vocab;

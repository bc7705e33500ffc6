/**
 * Text encoding shared by the training loop and the evaluator: a tokenizer wrapper over DJL's HuggingFace
 * tokenizer ({@link dev.lethe.core.text.LetheTokenizer}), prompt templates ({@link dev.lethe.core.text.ChatTemplate}),
 * TOFU/open-unlearning style label masking ({@link dev.lethe.core.text.QaEncoder}) and padding
 * ({@link dev.lethe.core.text.Collator}).
 *
 * <p>Everything here is pure Java over {@code int[]}/{@code long[]}: the model code turns batches into NDArrays.
 * Labels are aligned with input ids (Hugging Face convention): {@code labels[t]} is the target for position
 * {@code t}, and the loss shifts by one ({@code logits[t-1]} predicts {@code labels[t]}); {@link
 * dev.lethe.core.text.QaEncoding#IGNORE} (−100) marks positions that are not scored.
 */
package dev.lethe.core.text;

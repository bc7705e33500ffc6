/**
 * ULD — unlearning from logit difference (Ji et al., NeurIPS 2024; {@code shared/specs/uld.md}).
 *
 * <p>The target model stays frozen. A small <em>assistant</em> — the target's embedding, first K layers, final
 * norm and LM head, with LoRA on every linear layer ({@link dev.lethe.uld.AssistantBuilder}) — is trained with
 * the unlearning objectives reversed ({@link dev.lethe.uld.UldObjective}): remember the (augmented, see
 * {@link dev.lethe.uld.UldAugmentation}) forget set, be flat on the retain set. At inference the served logits
 * are {@code z_target − α·z_assistant}, with the assistant zeroed outside the target's plausible tokens
 * ({@link dev.lethe.uld.LogitDifferenceModel}, {@link dev.lethe.uld.PlausibilityFilter}).
 *
 * <p>Entry point: {@link dev.lethe.uld.Uld#unlearn}; results save and load with {@link dev.lethe.uld.UldCheckpoint}.
 */
package dev.lethe.uld;

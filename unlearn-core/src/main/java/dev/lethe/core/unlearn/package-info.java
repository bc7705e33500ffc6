/**
 * Fine-tuning unlearning baselines (tofu-eval.md §3): GradAscent, GradDiff, KL minimisation, IdkDPO, NPO,
 * SimNPO, RMU and UNDIAL, with open-unlearning's TOFU defaults.
 *
 * <p>The pieces, in the order a run uses them:
 * <ul>
 *   <li>{@link dev.lethe.core.unlearn.UnlearningData}: tokenised forget, retain and alternative rows
 *       ({@link dev.lethe.core.unlearn.LabeledRow}), built by the caller's templating;</li>
 *   <li>{@link dev.lethe.core.unlearn.MethodConfig}: every hyper-parameter with its default, overridable by
 *       {@code key=value} strings and recorded for provenance;</li>
 *   <li>{@link dev.lethe.core.unlearn.ForgetRetainPairing}: the seeded, index-addressable forget/retain
 *       pairing (an epoch is a pass over the forget set);</li>
 *   <li>{@link dev.lethe.core.unlearn.UnlearningMethod}s from {@link dev.lethe.core.unlearn.MethodRegistry},
 *       each an {@link dev.lethe.core.train.Objective} {@code γ·L_forget + α·L_retain} over the shared
 *       {@link dev.lethe.core.train.Trainer};</li>
 *   <li>{@link dev.lethe.core.unlearn.Unlearner}: copies the target, trains the copy, returns it; the untouched
 *       target is the frozen reference ({@link dev.lethe.core.unlearn.FrozenReference}).</li>
 * </ul>
 *
 * <p>Memory and autograd rules (djl-notes §4.1, §9): every per-step array is created in the step manager the
 * objective receives (forward outputs follow the batch's ids there); reference outputs are detached constants;
 * scalar arithmetic on graph arrays goes through {@link dev.lethe.core.util.Scalars}, never
 * {@code NDArray.mul(Number)}, whose scalar buffer may be freed before backward; log-probs use {@code gather},
 * not the broken 2-D pick.
 */
package dev.lethe.core.unlearn;

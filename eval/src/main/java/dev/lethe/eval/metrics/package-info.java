/**
 * Model-independent TOFU / open-unlearning metric arithmetic: everything that turns per-sample numbers
 * and strings into metric values, as the Python references compute them.
 *
 * <p>ROUGE ({@link dev.lethe.eval.metrics.Rouge}, with an NLTK-faithful
 * {@link dev.lethe.eval.metrics.PorterStemmer}), probabilities, truth ratio, exact KS forget quality,
 * harmonic-mean model utility, memorisation, MIA scores, ROC-AUC and privleak. Inputs are plain Java
 * arrays; nothing here touches a model. The metric registry lives in
 * {@code dev.lethe.eval.metrics.engine} and the TOFU metric set in {@code dev.lethe.eval.metrics.tofu}.
 */
package dev.lethe.eval.metrics;

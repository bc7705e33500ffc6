package dev.lethe.core.train;

import dev.lethe.core.lm.TokenBatch;
import ai.djl.ndarray.NDArray;

/** A language-modelling micro-batch: right-padded tokens and labels {@code [B, T]} with −100 where unscored. */
public record LmBatch(TokenBatch tokens, NDArray labels) {}

package dev.lethe.eval.metrics;

/**
 * Outcome of a two-sided two-sample Kolmogorov–Smirnov test.
 *
 * @param statistic D = sup |F1 − F2|
 * @param pValue    P(D_{n,m} ≥ d) under H0
 * @param exact     whether the exact null distribution was used (SciPy's 'auto' rule)
 */
public record KsResult(double statistic, double pValue, boolean exact) { }

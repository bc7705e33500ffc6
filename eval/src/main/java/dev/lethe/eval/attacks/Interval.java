package dev.lethe.eval.attacks;

/** A point estimate with a 95% item-bootstrap percentile interval. */
public record Interval(double value, double low, double high) {}

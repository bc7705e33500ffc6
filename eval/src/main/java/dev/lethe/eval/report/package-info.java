/**
 * Reports over many evaluation runs: {@link dev.lethe.eval.report.ResultRow} (one method × split × seed,
 * read from its eval log), {@link dev.lethe.eval.report.ResultsTable} ({@code table.md}, {@code table.csv})
 * and {@link dev.lethe.eval.report.FqVsMuPlot} ({@code fq_vs_mu.png}, the TOFU trade-off plot); over several
 * seeds, {@link dev.lethe.eval.report.SeedTable} (mean ± 95 % t-interval, {@link dev.lethe.eval.report.MeanCi}).
 */
package dev.lethe.eval.report;

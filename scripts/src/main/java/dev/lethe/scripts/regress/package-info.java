/**
 * CI regression of the benchmark's headline numbers: {@link dev.lethe.scripts.regress.Baseline} (model
 * utility and forget quality per method, read from a run's results.json or a checked-in baseline file) and
 * {@link dev.lethe.scripts.regress.UtilityRegression} (fails a method whose utility dropped beyond a
 * tolerance). The {@code lethe regress} command wires them to the command line.
 */
package dev.lethe.scripts.regress;

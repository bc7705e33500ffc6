/**
 * Reader for the canonical TOFU layout (tofu-eval §1): one JSON object per line per config file
 * ({@code full.json}, {@code forget01.json}, …, {@code idontknow.jsonl}); JSON-array files are accepted too.
 *
 * <p>Rows are validated strictly — an unknown split, a missing field, a wrong type or an empty answer is a
 * {@link dev.lethe.datasets.tofu.TofuFormatException} naming the file and line; no row is ever dropped. Extra
 * fields (e.g. a {@code task_id}) are ignored. Every item keeps its row {@code index} within its file, because
 * evaluation logs are keyed by it. The same reader serves real TOFU and Lethe's synthetic world.
 */
package dev.lethe.datasets.tofu;

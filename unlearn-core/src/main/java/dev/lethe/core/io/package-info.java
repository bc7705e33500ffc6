/**
 * Safetensors checkpoint IO without DJL's decoder: a memory-mapped {@link dev.lethe.core.io.SafetensorsReader},
 * sharded checkpoints through {@link dev.lethe.core.io.SafetensorsIndex}, both behind
 * {@link dev.lethe.core.io.TensorSource}, and an atomic {@link dev.lethe.core.io.SafetensorsWriter}.
 *
 * <p>Why not {@code NDList.decode}: it copies the whole file into one {@code byte[]} (so it stops at 2 GiB), and
 * any BF16 tensor aborts the JVM because DJL's PyTorch JNI cannot map the BF16 data type (djl-notes §5, §9).
 * Here BF16 (and F16, I16, U16, U32) is widened in Java and never handed to DJL in its stored type.
 *
 * <p>Ownership: every {@code NDArray} returned by a load is attached to the {@code NDManager} the caller passes and
 * is closed with it. {@link dev.lethe.core.io.TensorSource#load} returns an independent native copy (safe to train
 * and to mutate in place); {@link dev.lethe.core.io.TensorSource#loadMapped} may return a zero-copy view of a
 * read-only file mapping, which must never be mutated in place (that is a SIGSEGV, not an exception).
 *
 * <p>Errors in a file's structure are {@link dev.lethe.core.io.SafetensorsException}s (an {@code IOException}) that
 * name the file, the tensor and what was expected; a malformed file never crashes the JVM. Little-endian hosts
 * only (x86-64, aarch64), as the format and PyTorch's CPU memory are both little-endian there.
 */
package dev.lethe.core.io;

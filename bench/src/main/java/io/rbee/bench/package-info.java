/**
 * Benchmarks (not tests): {@link io.rbee.bench.RelayBench} (narration relay, beside nginx) and
 * {@link io.rbee.bench.InferenceBench} (inference through the queen, beside llama.cpp called
 * directly); {@link io.rbee.bench.FloodHive} is the hive-shaped daemon the relay benchmark
 * follows. Run them with {@code bench/run}; results are described in docs/BENCHMARKS.md.
 */
package io.rbee.bench;

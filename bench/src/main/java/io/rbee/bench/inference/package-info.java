/**
 * The inference benchmark's parts: the models it runs ({@link
 * io.rbee.bench.inference.BenchModel}), llama.cpp called directly in this JVM ({@link
 * io.rbee.bench.inference.DirectLlama}), a timed follower of a queen {@code Infer} job ({@link
 * io.rbee.bench.inference.QueenInference}) and the real {@code rbee} CLI as a process ({@link
 * io.rbee.bench.inference.KeeperLaunch}).
 */
package io.rbee.bench.inference;

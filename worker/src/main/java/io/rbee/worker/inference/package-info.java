/**
 * Inference with llama.cpp through {@code de.kherud:llama}: loading a model on a device
 * ({@link io.rbee.worker.inference.LlamaEngine}) and streaming a raw completion.
 */
package io.rbee.worker.inference;

/**
 * GGUF model files: reading the header of any GGUF v2/v3 file, checking what would crash
 * llama.cpp before it sees the file, and writing small llama models with random weights (the
 * demo model and the tiny models tests use).
 */
package io.rbee.gguf;

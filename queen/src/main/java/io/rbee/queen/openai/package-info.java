/**
 * The OpenAI-compatible HTTP API on the queen ({@code /v1/chat/completions},
 * {@code /v1/completions}, {@code /v1/embeddings}, {@code /v1/models}): each request is read
 * strictly into an rbee operation, run as an ordinary queen job (scheduled across hives, its
 * narration on the job's own stream, its id in {@code X-Rbee-Job-Id}), and the job's tokens or
 * result are answered in OpenAI's shapes. Nothing here talks to a hive or a worker directly.
 */
package io.rbee.queen.openai;

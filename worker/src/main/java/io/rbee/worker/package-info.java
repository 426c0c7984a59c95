/**
 * {@code llm-worker-rbee}: one process per loaded model. {@link io.rbee.worker.WorkerMain} serves
 * {@code /health} and the job API (operations {@code Infer} and {@code Embed}) and runs
 * llama.cpp.
 */
package io.rbee.worker;

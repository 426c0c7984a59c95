/**
 * {@code llm-worker-rbee}: one process per loaded model. {@link io.rbee.worker.WorkerMain} serves
 * {@code /health} and the job API (operation {@code Infer} only) and runs llama.cpp.
 */
package io.rbee.worker;

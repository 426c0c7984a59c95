/**
 * queen-rbee, the brain: accepts every job, runs queen operations, forwards hive operations to
 * their hive (over HTTP, or in-process in integrated mode) and schedules inference onto workers.
 * The request path: {@link io.rbee.queen.QueenApp} (routes) → {@link io.rbee.queen.QueenOperations}
 * → {@link io.rbee.queen.hives} or {@link io.rbee.queen.inference}.
 */
package io.rbee.queen;

/**
 * Narration: what a process says it is doing, routed per job to whoever follows the job.
 *
 * <p>Operation code narrates with a {@link io.rbee.narration.Narrator} and the job id it was
 * given; the code that creates a job opens its {@link io.rbee.narration.JobChannel} on the
 * process-wide {@link io.rbee.narration.Broadcaster}. Narration for a job without a channel is
 * dropped and counted, never delivered elsewhere.
 */
package io.rbee.narration;

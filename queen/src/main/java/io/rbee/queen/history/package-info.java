/**
 * The queen's job history: every job and all its events in one SQLite file under
 * {@code RBEE_HOME}, written in batches off the jobs' threads, bounded by count, age and size,
 * so {@code GET /v1/jobs} and job replays outlive a queen restart.
 */
package io.rbee.queen.history;

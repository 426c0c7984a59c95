/**
 * Worker processes on a hive: spawning them (checks, launch, waiting for health), listing,
 * stopping, and noticing those that die on their own.
 */
package io.rbee.hive.workers;

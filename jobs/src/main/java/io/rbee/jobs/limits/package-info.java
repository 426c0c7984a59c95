/** Limits on real resources (a worker's generation slots, a hive's spawns and downloads), with waits that narrate. */
package io.rbee.jobs.limits;

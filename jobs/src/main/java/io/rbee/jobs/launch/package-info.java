/** Starting rbee's own programs (queen, hive, worker) as child JVM processes. */
package io.rbee.jobs.launch;

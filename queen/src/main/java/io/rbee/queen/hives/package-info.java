/**
 * The hives a queen drives: the registry (which hives exist and how to reach them), the two
 * transports to a hive (HTTP to a hive daemon, or the hive library inside the queen in
 * integrated mode) and local hive lifecycle (start, stop, status, list).
 */
package io.rbee.queen.hives;

/**
 * The hive: {@link io.rbee.hive.Hive} is the library that runs hive operations (used by the
 * hive daemon and, in integrated mode, by the queen); {@link io.rbee.hive.HiveMain} and
 * {@link io.rbee.hive.HiveApp} are the daemon that serves it over HTTP.
 */
package io.rbee.hive;

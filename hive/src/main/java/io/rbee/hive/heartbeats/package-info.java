/**
 * The hive's heartbeats: the loop that tells the queen, every interval and at once on a worker
 * change, the hive's whole state (devices, workers with their load, models), and where it
 * sends them (the queen over HTTP, or the queen's live registry directly in integrated mode).
 */
package io.rbee.hive.heartbeats;

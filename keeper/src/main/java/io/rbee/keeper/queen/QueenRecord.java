package io.rbee.keeper.queen;

/**
 * The pid file of a queen started by this installation ({@code $RBEE_HOME/run/queen.json}):
 * {@code {"pid", "port", "url", "local_hive", "started_at"}}.
 */
public record QueenRecord(long pid, int port, String url, boolean localHive, String startedAt) {}

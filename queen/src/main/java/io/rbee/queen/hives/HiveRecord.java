package io.rbee.queen.hives;

/** A hive daemon this queen started (or adopted): where it answers and its process id. */
public record HiveRecord(String hiveId, String url, int port, long pid, String logFile,
    String startedAt) {}

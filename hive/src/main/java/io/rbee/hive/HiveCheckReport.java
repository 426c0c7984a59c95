package io.rbee.hive;

/**
 * The {@code result} of a HiveCheck: what the hive found about itself. {@code ok} is false when
 * a check failed (then the job fails too, after this result).
 */
public record HiveCheckReport(
    String hiveId,
    String stateDir,
    boolean stateDirWritable,
    int devices,
    int gpus,
    int models,
    int workers,
    int workersReady,
    boolean ok) {}

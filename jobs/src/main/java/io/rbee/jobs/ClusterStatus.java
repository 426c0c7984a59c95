package io.rbee.jobs;

import java.util.List;

/** The result of {@code Status}: every hive the queen knows, and their workers and models. */
public record ClusterStatus(
    String queenUrl, boolean localHive, List<HiveInfo> hives, List<WorkerInfo> workers,
    List<ModelInfo> models) {}

package io.rbee.jobs;

/**
 * A model in a hive's catalog: its id (what {@code Infer.model} names), where it came from
 * ({@code source}: the reference it was downloaded from, or {@code demo}), the file on the
 * hive, its size and the GGUF facts read from it.
 */
public record ModelInfo(
    String id,
    String hiveId,
    String source,
    String path,
    long sizeBytes,
    String architecture,
    Long parameterCount,
    String addedAt) {}

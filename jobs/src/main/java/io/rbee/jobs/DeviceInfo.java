package io.rbee.jobs;

/**
 * A device a hive can run workers on: {@code cpu} or {@code cuda:N}. Memory in bytes; null when
 * unknown. {@code cores} is set for the CPU.
 */
public record DeviceInfo(
    String id, String kind, String name, Long memoryTotalBytes, Long memoryFreeBytes,
    Integer cores) {}

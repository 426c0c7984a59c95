package io.rbee.jobs;

import java.util.List;

/**
 * A hive as the queen knows it: {@code mode} is {@code integrated} (runs inside the queen) or
 * {@code daemon}; {@code state} is running, stopped or unreachable. {@code devices} is filled by
 * HiveStatus and null elsewhere.
 */
public record HiveInfo(
    String hiveId, String mode, String state, String url, Long pid, List<DeviceInfo> devices) {}

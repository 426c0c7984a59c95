package io.rbee.jobs;

import java.util.List;

/**
 * A hive as the queen knows it: {@code mode} is {@code integrated} (runs inside the queen) or
 * {@code daemon}; {@code state} is running, stopped or unreachable. {@code devices} is filled by
 * HiveStatus and null elsewhere. {@code liveness} is what the queen's live registry says:
 * {@code fresh} (its heartbeats arrive), {@code stale} (it missed them: it gets no work),
 * or null when it never beat to this queen; {@code last_beat_ms_ago} is the age of its newest
 * beat (null when none).
 */
public record HiveInfo(
    String hiveId, String mode, String state, String url, Long pid, List<DeviceInfo> devices,
    String liveness, Long lastBeatMsAgo) {}

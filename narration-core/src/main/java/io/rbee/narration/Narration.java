package io.rbee.narration;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One narration event: who ({@code actor}) did what ({@code action}) to what ({@code target}),
 * said for people ({@code human}), for which job. The optional context fields are null when they
 * do not apply and are then left out of the JSON.
 *
 * <p>This is the {@code data} of every {@code event: narration} on a job stream.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Narration(
    String actor,
    String action,
    String target,
    String human,
    @JsonProperty("job_id") String jobId,
    Level level,
    String timestamp,
    @JsonProperty("hive_id") String hiveId,
    @JsonProperty("worker_id") String workerId,
    String model,
    String device,
    @JsonProperty("error_kind") String errorKind,
    @JsonProperty("duration_ms") Long durationMs,
    Progress progress) {

  /** The same narration attributed to another job (used when a relay re-homes an event). */
  public Narration withJobId(String newJobId) {
    return new Narration(actor, action, target, human, newJobId, level, timestamp, hiveId,
        workerId, model, device, errorKind, durationMs, progress);
  }

  /** The same narration with {@code hive_id} filled in when it was absent. */
  public Narration withDefaultHiveId(String defaultHiveId) {
    if (hiveId != null) {
      return this;
    }
    return new Narration(actor, action, target, human, jobId, level, timestamp, defaultHiveId,
        workerId, model, device, errorKind, durationMs, progress);
  }
}

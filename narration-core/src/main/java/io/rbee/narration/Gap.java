package io.rbee.narration;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.rbee.narration.sse.SseEncoder;
import java.nio.charset.StandardCharsets;

/**
 * What a follower is told where events it asked for were evicted from the job's bounded
 * history: the job, how many ids it skipped ({@code missed}), and the first id still available
 * ({@code first_id}, the id of the event that follows the gap). On the wire it is an SSE event
 * named {@link JobEvent#GAP} with this record as JSON data and <em>no</em> {@code id:} line, so
 * a client's last event id stays the last event it really received:
 *
 * <pre>
 * event: gap
 * data: {"job_id":"job-…","missed":16,"first_id":17}
 * </pre>
 *
 * <p>A relay also writes one into its local job when events of the remote job it relays were
 * lost on the way: then it is an event of the local job's history like any other (with an
 * {@code id:}: the local ids stay contiguous), {@code upstream_job_id} and {@code hive_id} say
 * whose events were lost, and {@code first_id} counts in the remote job's ids. Either way
 * nothing is lost silently.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Gap(String jobId, long missed, long firstId, String upstreamJobId, String hiveId) {
  public Gap {
    if (missed < 1) {
      throw new IllegalArgumentException("a gap misses at least 1 event, got " + missed);
    }
  }

  /** The gap a daemon's stream announces for its own job. */
  public Gap(String jobId, long missed, long firstId) {
    this(jobId, missed, firstId, null, null);
  }

  /** The gap a daemon's stream announces for its own job. */
  public static Gap of(String jobId, long missed, long firstId) {
    return new Gap(jobId, missed, firstId);
  }

  /** This gap as relayed into {@code localJobId}, naming the job and hive it came from. */
  public Gap relayedInto(String localJobId, String fromJobId, String fromHiveId) {
    return new Gap(localJobId, missed, firstId,
        upstreamJobId != null ? upstreamJobId : fromJobId,
        hiveId != null ? hiveId : fromHiveId);
  }

  /** The data of the SSE event: {@code {"job_id", "missed", "first_id", ...}}. */
  public String json() {
    return Json.write(this);
  }

  /** The whole SSE event, UTF-8, without an {@code id:} line. */
  public byte[] frame() {
    return SseEncoder.event(null, JobEvent.GAP, json()).getBytes(StandardCharsets.UTF_8);
  }

  /** Parses a {@code gap} event's data; malformed data throws {@code UncheckedIOException}. */
  public static Gap parse(String data) {
    return Json.read(data, Gap.class);
  }
}

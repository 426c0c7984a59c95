package io.rbee.narration;

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
 */
public record Gap(String jobId, long missed, long firstId) {
  public Gap {
    if (missed < 1) {
      throw new IllegalArgumentException("a gap misses at least 1 event, got " + missed);
    }
  }

  /** The data of the SSE event: {@code {"job_id", "missed", "first_id"}}. */
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

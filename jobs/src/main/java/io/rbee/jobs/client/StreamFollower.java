package io.rbee.jobs.client;

import io.rbee.jobs.Done;
import io.rbee.narration.Gap;
import io.rbee.jobs.client.JobClientException.Kind;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.sse.SseEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Follows one job to its {@code done}, reconnecting with {@code Last-Event-ID} when a
 * connection breaks. The resume window starts at a break and restarts once a reconnected
 * stream delivers an event, so a long job survives several short outages but not one that
 * lasts, nor a server that keeps accepting and dropping the stream.
 *
 * <p>Loss is judged by ids, which a job numbers without gaps: an event whose id is more than
 * one past the last one delivered is preceded by a {@code gap} event for what lies between.
 * The server's own {@code gap} (a stream's announcement, without {@code upstream_job_id}) says
 * the same and is not passed on, so a loss is told once however the server words it (with or
 * without an id) and however often a resume repeats it. A {@code gap} that names an upstream
 * job is an event of the job's history (a relay's record of a loss further away): delivered
 * like any other.
 *
 * <p>A stream that merges tokens ({@link JobClient#withMergedTokens()}) skips ids by design: a
 * merged {@code token} event carries the id of the last token in it. There the server's own
 * {@code gap} is what tells a loss, passed on once (a resume that repeats it is not told
 * again), and ids only order the events.
 */
final class StreamFollower {
  private static final long FIRST_BACKOFF_MS = 50;
  private static final long MAX_BACKOFF_MS = 500;
  private static final Duration MIN_ANSWER = Duration.ofMillis(200);

  private final JobClient client;
  private final String jobId;
  private final Duration window;
  private final boolean idsSkip;
  private final ResumeListener resumes;

  StreamFollower(JobClient client, String jobId, Duration window, ResumeListener resumes) {
    this.client = client;
    this.jobId = jobId;
    this.window = window;
    this.idsSkip = client.mergesTokens();
    this.resumes = resumes;
  }

  Done follow(long afterId, Consumer<SseEvent> onEvent) throws JobClientException {
    return follow(afterId, onEvent, null);
  }

  /** {@link #follow(long, Consumer)} reading {@code opened} first (null: opening a stream). */
  Done follow(long afterId, Consumer<SseEvent> onEvent, JobStream opened)
      throws JobClientException {
    JobStream first = opened;
    long last = afterId;
    long deadline = 0; // 0: connected, no break pending
    long backoff = FIRST_BACKOFF_MS;
    boolean everConnected = false;
    long gapToldAt = -1; // first_id of the last of the server's own gaps passed on
    while (true) {
      String problem;
      JobStream given = first;
      first = null;
      try (JobStream stream = given != null ? given
          : client.stream(jobId, last, answerWithin(deadline))) {
        everConnected = true;
        problem = "the stream ended without a done event";
        SseEvent e;
        while (true) {
          try {
            e = stream.next();
          } catch (JobClientException broken) {
            problem = reason(broken);
            break;
          }
          if (e == null) {
            break;
          }
          if (isStreamsOwnGap(e)) {
            if (idsSkip) { // merged tokens skip ids: the server's word is what tells a loss
              long firstId = ownGapFirstId(e);
              if (firstId != gapToldAt) {
                gapToldAt = firstId;
                onEvent.accept(e);
              }
            }
            continue; // else told below, by the id that follows it
          }
          long id = e.numericId();
          if (!idsSkip && id > last + 1) {
            onEvent.accept(gap(last, id));
          }
          if (id > 0) {
            last = id;
          }
          if (deadline != 0) {
            resumes.resumed();
          }
          deadline = 0; // progress: a later break gets a full window again
          backoff = FIRST_BACKOFF_MS;
          onEvent.accept(e);
          if (JobEvent.DONE.equals(e.event())) {
            return JobClient.parseDone(jobId, client.baseUrl(), e);
          }
        }
      } catch (JobClientException e) {
        if (!everConnected) {
          throw e; // nothing to resume: the caller learns why it could not start
        }
        if (e.kind() == Kind.NOT_FOUND) {
          throw broken("the server no longer knows the job (it restarted?)");
        }
        if (e.kind() != Kind.UNREACHABLE) {
          throw e; // an answer that retrying will not change
        }
        problem = reason(e);
      }
      long now = System.nanoTime();
      if (deadline == 0) {
        deadline = now + window.toNanos();
        if (!window.isZero()) {
          resumes.lost(problem);
        }
      }
      if (now - deadline >= 0) {
        throw broken(problem);
      }
      pause(Math.min(backoff, Math.max(1, (deadline - now) / 1_000_000)));
      backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
    }
  }

  /** A {@code gap} the stream wrote about its own job, as opposed to one kept in its history. */
  private static boolean isStreamsOwnGap(SseEvent e) {
    if (!JobEvent.GAP.equals(e.event())) {
      return false;
    }
    try {
      return Json.read(e.data(), Gap.class).upstreamJobId() == null;
    } catch (RuntimeException notGapJson) {
      return true; // not ours to pass on as a record; the ids still tell the loss
    }
  }

  private static long ownGapFirstId(SseEvent e) {
    try {
      return Json.read(e.data(), Gap.class).firstId();
    } catch (RuntimeException notGapJson) {
      return -2; // told, as it came
    }
  }

  private SseEvent gap(long last, long next) {
    return new SseEvent(null, JobEvent.GAP, Json.write(Gap.of(jobId, next - last - 1, next)));
  }

  /**
   * How long a connection attempt may wait for the server's answer: the silence limit, but a
   * resume attempt no longer than what is left of its window (at least {@link #MIN_ANSWER}),
   * so a server that accepts and never answers cannot stretch the window by a whole limit.
   */
  private Duration answerWithin(long windowEnd) {
    Duration limit = client.silenceLimit();
    if (windowEnd == 0) {
      return limit;
    }
    Duration left = Duration.ofNanos(windowEnd - System.nanoTime());
    Duration bounded = left.compareTo(limit) < 0 ? left : limit;
    return bounded.compareTo(MIN_ANSWER) > 0 ? bounded : MIN_ANSWER;
  }

  private JobClientException broken(String problem) {
    return new JobClientException(Kind.STREAM_BROKEN, 0, null,
        "stream of job " + jobId + " from " + client.baseUrl() + " broke before done: "
            + problem, null);
  }

  private static String reason(JobClientException e) {
    return e.getCause() instanceof IOException io ? Failures.reason(io) : e.getMessage();
  }

  private void pause(long millis) throws JobClientException {
    try {
      Thread.sleep(millis); // a reconnect backoff, not a wait for a condition
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new JobClientException(Kind.STREAM_BROKEN, 0, null,
          "following job " + jobId + " from " + client.baseUrl() + " was interrupted", e);
    }
  }
}

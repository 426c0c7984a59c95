package io.rbee.jobs.server;

import io.javalin.http.Context;
import io.rbee.jobs.Done;
import io.rbee.jobs.JobInfo;
import io.rbee.narration.Gap;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a job that only the {@link JobArchive} still has, as {@code text/event-stream},
 * exactly like the stream of a finished live job: every stored event after the follower's
 * cursor with its own id, then {@code done}; resuming at or past the end gets {@code done}
 * again. Ids the archive never stored (dropped under load) are announced by a {@code gap}
 * (no {@code id:}, see {@link Gap}) before the first event after them; a {@code done} the
 * archive lost is rebuilt from the stored job row, with the id the row recorded.
 */
final class StoredStream {
  private static final Logger LOG = LoggerFactory.getLogger(StoredStream.class);
  private static final int PAGE = 1000;

  private StoredStream() {}

  static void write(Context ctx, JobInfo job, JobArchive archive, long afterId) {
    long doneId = job.lastEventId();
    long after = job.status().isFinal() && doneId > 0 && afterId >= doneId ? doneId - 1 : afterId;
    HttpServletResponse res = ctx.res();
    SseResponse.begin(res);
    try {
      OutputStream out = res.getOutputStream();
      long last = after;
      boolean done = false;
      while (!done) {
        List<JobEvent> page = archive.events(job.jobId(), last, PAGE);
        for (JobEvent e : page) {
          gap(out, job.jobId(), last, e.id());
          e.writeTo(out);
          last = e.id();
          done = JobEvent.DONE.equals(e.event());
          if (done) {
            break;
          }
        }
        if (page.size() < PAGE) {
          break;
        }
      }
      if (!done && job.status().isFinal()) {
        long id = Math.max(doneId, last + 1);
        gap(out, job.jobId(), last, id);
        new JobEvent(id, JobEvent.DONE, Json.write(new Done(job.jobId(), job.status(),
            job.error(), job.errorKind(), null))).writeTo(out);
      }
      out.flush();
    } catch (IOException e) {
      LOG.debug("follower of stored job {} left: {}", job.jobId(), HttpErrors.oneLine(e));
    }
  }

  private static void gap(OutputStream out, String jobId, long last, long next)
      throws IOException {
    if (next > last + 1) {
      out.write(Gap.of(jobId, next - last - 1, next).frame());
    }
  }
}

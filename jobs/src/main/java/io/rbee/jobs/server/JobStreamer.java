package io.rbee.jobs.server;

import io.javalin.http.Context;
import io.rbee.narration.JobChannel;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Subscription;
import io.rbee.narration.sse.SseEncoder;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one follower's view of a job as {@code text/event-stream}: every kept event after the
 * follower's cursor, each with its id, then live events until {@code done}, then the response
 * ends.
 *
 * <p>Writes in bursts: everything already available is encoded, then flushed once, so a fast
 * job costs few syscalls while a quiet one is still delivered at once. While nothing happens a
 * {@code : keep-alive} comment goes out every keep-alive interval (the follower's
 * {@code ?keepalive_ms=}, else the daemon's): the follower judges the stream by it, and the
 * write is also how a follower that went away is noticed. Events lost to the history bound are announced as
 * {@code : missed N events}. Blocks the request thread for the life of the stream.
 */
final class JobStreamer {
  private static final Logger LOG = LoggerFactory.getLogger(JobStreamer.class);
  private static final int BURST_BYTES = 64 * 1024;

  private final Duration keepAlive;

  JobStreamer(Duration keepAlive) {
    this.keepAlive = keepAlive;
  }

  void stream(Context ctx, JobChannel channel, long afterId) {
    stream(ctx, channel, afterId, keepAlive);
  }

  /** {@link #stream(Context, JobChannel, long)} with the follower's keep-alive interval. */
  void stream(Context ctx, JobChannel channel, long afterId, Duration keepAlive) {
    HttpServletResponse res = ctx.res();
    res.setStatus(200);
    res.setContentType("text/event-stream; charset=utf-8");
    res.setHeader("Cache-Control", "no-cache");
    res.setHeader("X-Accel-Buffering", "no");
    try (Subscription sub = channel.follow(afterId)) {
      OutputStream out = res.getOutputStream();
      res.flushBuffer(); // the follower sees the stream open before the first event
      pump(sub, out, keepAlive);
    } catch (IOException e) {
      LOG.debug("follower of job {} left: {}", channel.jobId(), HttpErrors.oneLine(e));
    } catch (InterruptedException e) {
      // the server is stopping: end this response, the follower resumes elsewhere or later
      Thread.currentThread().interrupt();
    }
  }

  private void pump(Subscription sub, OutputStream out, Duration keepAlive)
      throws IOException, InterruptedException {
    StringBuilder burst = new StringBuilder(4096);
    long missedSoFar = 0;
    while (true) {
      JobEvent e = sub.next(keepAlive);
      if (e == null) {
        if (sub.exhausted()) {
          return;
        }
        write(out, SseEncoder.comment("keep-alive"));
        continue;
      }
      boolean done = false;
      while (e != null) {
        if (sub.missed() > missedSoFar) {
          burst.append(SseEncoder.comment("missed " + (sub.missed() - missedSoFar) + " events"));
          missedSoFar = sub.missed();
        }
        burst.append(SseEncoder.event(Long.toString(e.id()), e.event(), e.data()));
        if (JobEvent.DONE.equals(e.event())) {
          done = true;
          break;
        }
        if (burst.length() >= BURST_BYTES) {
          out.write(burst.toString().getBytes(StandardCharsets.UTF_8));
          burst.setLength(0);
        }
        e = sub.next(Duration.ZERO);
      }
      write(out, burst);
      burst.setLength(0);
      if (done) {
        return;
      }
    }
  }

  private static void write(OutputStream out, CharSequence text) throws IOException {
    out.write(text.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}

package io.rbee.jobs.server;

import io.javalin.http.Context;
import io.rbee.jobs.metrics.JobMetrics;
import io.rbee.narration.Gap;
import io.rbee.narration.JobChannel;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Subscription;
import io.rbee.narration.sse.SseEncoder;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one follower's view of a job as {@code text/event-stream}: every kept event after the
 * follower's cursor, each with its id, then live events until {@code done}, then the response
 * ends.
 *
 * <p>Each event's bytes are encoded once for all its followers ({@link JobEvent#writeTo}); a
 * stream copies them into its response buffer and flushes once per burst (everything already
 * available), so a fast job costs few syscalls while a quiet one is still delivered at once; a
 * follower that asked for merged tokens gets the tokens of such a burst as one event
 * ({@link TokenRun}), and is written tokens at most once per token interval
 * ({@link JobServer.Options#DEFAULT_TOKEN_INTERVAL}): a token sooner than that after the last
 * written waits for company, woken early by anything that is not a token.
 * While nothing happens a {@code : keep-alive} comment goes out every keep-alive interval (the
 * follower's {@code ?keepalive_ms=}, else the daemon's): the follower judges the stream by it,
 * and the write is also how a follower that went away is noticed. Events lost to the history bound are
 * announced by a {@code gap} event (no {@code id:}, see {@link Gap}) before the first event
 * after them. A follower that breaks the {@link FollowerLimits} is cut by the
 * {@link FollowerWatch}. Blocks the request's (virtual) thread for the life of the stream.
 */
final class JobStreamer {
  private static final Logger LOG = LoggerFactory.getLogger(JobStreamer.class);
  private static final byte[] KEEP_ALIVE =
      SseEncoder.comment("keep-alive").getBytes(StandardCharsets.UTF_8);

  /**
   * The response buffer of one stream: a burst is flushed once it fills. Jetty's default (32 KiB)
   * held by each of 10,000 open streams is 320 MiB; frames are a few hundred bytes.
   */
  static final int BUFFER_BYTES = 8 * 1024;

  private final Duration keepAlive;
  private final long tokenIntervalNanos;
  private final JobMetrics metrics;
  private final FollowerWatch watch;

  JobStreamer(Duration keepAlive, Duration tokenInterval, JobMetrics metrics,
      FollowerWatch watch) {
    this.keepAlive = keepAlive;
    this.tokenIntervalNanos = tokenInterval.toNanos();
    this.metrics = metrics;
    this.watch = watch;
  }

  /**
   * Streams {@code channel} after {@code afterId}. Throws {@link ApiException} 400
   * {@code invalid_event_id} (before anything is written) when {@code afterId} is past the
   * newest event of a running job.
   */
  void stream(Context ctx, JobChannel channel, long afterId) {
    stream(ctx, channel, afterId, keepAlive, false);
  }

  /**
   * {@link #stream(Context, JobChannel, long)} with the follower's keep-alive interval; with
   * {@code mergeTokens}, consecutive tokens waiting for the follower go out as one
   * ({@link TokenRun}).
   */
  void stream(Context ctx, JobChannel channel, long afterId, Duration keepAlive,
      boolean mergeTokens) {
    Subscription sub;
    try {
      sub = channel.follow(afterId);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("invalid_event_id", "Last-Event-ID / after: "
          + e.getMessage() + "; resume with an id it sent, or 0 for the start");
    }
    HttpServletResponse res = ctx.res();
    SseResponse.begin(res);
    res.setBufferSize(BUFFER_BYTES);
    EndPoint endPoint = endPoint(ctx);
    Thread thread = Thread.currentThread();
    metrics.streamOpened();
    try (sub; FollowerWatch.Watched w = watch.watch(sub, () -> cut(endPoint, thread))) {
      OutputStream out = res.getOutputStream();
      res.flushBuffer(); // the follower sees the stream open before the first event
      pump(sub, out, w, keepAlive, mergeTokens);
    } catch (IOException e) {
      LOG.debug("follower of job {} left: {}", channel.jobId(), HttpErrors.oneLine(e));
    } catch (InterruptedException e) {
      // the server is stopping (or the follower was cut): end this response, it resumes later
      Thread.currentThread().interrupt();
    } finally {
      metrics.streamClosed();
    }
  }

  private void pump(Subscription sub, OutputStream out, FollowerWatch.Watched w,
      Duration keepAlive, boolean mergeTokens)
      throws IOException, InterruptedException {
    TokenRun run = new TokenRun(mergeTokens);
    long lastTokenWrite = 0;
    boolean wroteToken = false;
    while (true) {
      JobEvent e = sub.next(keepAlive);
      if (e == null) {
        if (sub.exhausted()) {
          return;
        }
        w.writing();
        out.write(KEEP_ALIVE);
        out.flush();
        w.idle();
        continue;
      }
      long burst = 0; // counted once per flush: one adder increment, not one per event
      boolean tokens = mergeTokens && JobEvent.TOKEN.equals(e.event());
      if (tokens && wroteToken && tokenIntervalNanos > 0) {
        long due = lastTokenWrite + tokenIntervalNanos;
        if (due - System.nanoTime() > 0) {
          sub.lingerForTokens(due);
        }
      }
      while (e != null) {
        w.writing();
        Gap gap = sub.gap();
        if (gap != null) {
          run.writeTo(out);
          out.write(gap.frame());
          metrics.lost(gap.missed());
        }
        burst++;
        if (!run.offer(e, out)) {
          run.writeTo(out);
          e.writeTo(out);
          if (JobEvent.DONE.equals(e.event())) {
            out.flush();
            metrics.sent(burst);
            return;
          }
        }
        e = sub.next(Duration.ZERO);
      }
      run.writeTo(out);
      out.flush();
      metrics.sent(burst);
      w.idle();
      if (tokens) {
        lastTokenWrite = System.nanoTime();
        wroteToken = true;
      }
    }
  }

  /** The connection under {@code ctx}, so a stuck stream can be cut from another thread. */
  private static EndPoint endPoint(Context ctx) {
    ServletContextRequest r = ServletContextRequest.getServletContextRequest(ctx.req());
    return r == null ? null : r.getConnectionMetaData().getConnection().getEndPoint();
  }

  private static void cut(EndPoint endPoint, Thread thread) {
    if (endPoint != null) {
      endPoint.close(); // fails a blocked write at once; the stream's thread then ends it
    } else {
      thread.interrupt();
    }
  }
}

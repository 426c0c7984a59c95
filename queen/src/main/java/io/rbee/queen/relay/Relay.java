package io.rbee.queen.relay;

import io.rbee.jobs.Done;
import io.rbee.narration.Gap;
import io.rbee.jobs.JobCancelledException;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.RelayedFailureException;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.client.JobClientException;
import io.rbee.jobs.server.JobContext;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.Narration;
import io.rbee.narration.NarrationJson;
import io.rbee.narration.sse.SseEvent;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs an operation as a job on another daemon (a hive, a worker) and relays that job's events,
 * in order, into a local job: narration keeps its actor and fields (re-homed to the local job
 * id, with {@code hive_id} filled in), results and tokens pass through unchanged.
 *
 * <p>Nothing is lost silently: when remote events were lost on the way (the remote history no
 * longer held them when the relay asked, after a slow or broken link), the relay writes a
 * {@code gap} event into the local job saying how many and from which job and hive (see
 * {@link Gap}), narrates a warning, and the local job's {@code done} reports the total as
 * {@code lost_events}. The local ids stay contiguous.
 *
 * <p>A remote that stops answering (a stopped process, a dead link) is noticed by silence: the
 * relay asks for a keep-alive every {@link #KEEP_ALIVE} and counts the stream as broken after
 * three without a byte, then resumes it for the client's resume window.
 *
 * <p>Cancelling the local job cancels the remote one. The remote job's final status becomes
 * the outcome of {@link #run}: it returns the remote {@link Done} when the remote job
 * succeeded, throws {@link RelayedFailureException} (with the remote error kind and message)
 * when it failed, and {@link JobCancelledException} when it was cancelled.
 *
 * <p>A relay may be given up from outside ({@link #run(Operation, JobContext,
 * CompletableFuture)}): the hive it reads from went stale. It then throws that failure at
 * once, relays nothing more, and asks the remote to cancel in the background (a frozen
 * remote cannot answer; its stream then ends by silence on a thread of its own).
 */
public final class Relay {
  /** The keep-alive a relay asks of the remote stream: a stopped remote is noticed in ~3 s. */
  public static final Duration KEEP_ALIVE = Duration.ofSeconds(1);

  private final JobClient client;
  private final String hiveId;

  /** A relay from the daemon {@code client} talks to; {@code hiveId} fills in narration. */
  public Relay(JobClient client, String hiveId) {
    this.client = client.withKeepAlive(KEEP_ALIVE);
    this.hiveId = hiveId;
  }

  /**
   * Submits {@code op} remotely and relays its events into {@code job} until the remote
   * {@code done}. Connection problems surface as {@link JobClientException} (submit refused,
   * daemon unreachable, stream broken before {@code done}).
   */
  public Done run(Operation op, JobContext job) throws JobClientException {
    String[] lastErrorKind = {null};
    String[] remoteId = {null};
    // submitted and streamed in one request: the remote's first event is one round trip nearer
    Done done = client.run(op, remote -> {
      remoteId[0] = remote.jobId();
      job.onCancel(() -> cancelQuietly(remote.jobId()));
    }, event -> {
      if (!JobEvent.DONE.equals(event.event())) {
        relay(event, job, remoteId[0], lastErrorKind);
      }
    });
    return outcome(done, job, lastErrorKind[0]);
  }

  /**
   * {@link #run(Operation, JobContext)}, given up as soon as {@code giveUp} completes: then
   * its failure is thrown (the remote job is asked to cancel, in the background) and no later
   * remote event reaches {@code job}. The submit and the stream run on a virtual thread of
   * their own; the caller's thread waits for whichever comes first.
   */
  public Done run(Operation op, JobContext job, CompletableFuture<? extends RuntimeException>
      giveUp) throws JobClientException {
    if (giveUp.isDone()) {
      throw giveUp.join();
    }
    String[] lastErrorKind = {null};
    ReentrantLock relaying = new ReentrantLock();
    boolean[] over = {false};
    AtomicReference<String> remoteId = new AtomicReference<>();
    CompletableFuture<Done> followed = new CompletableFuture<>();
    // submit and follow off the job's thread: a remote that froze answers neither
    Thread.ofVirtual().name("relay-" + job.jobId()).start(() -> {
      try {
        followed.complete(client.run(op, remote -> {
          remoteId.set(remote.jobId());
          job.onCancel(() -> cancelQuietly(remote.jobId()));
        }, event -> {
          if (JobEvent.DONE.equals(event.event())) {
            return;
          }
          relaying.lock();
          try {
            if (!over[0]) {
              relay(event, job, remoteId.get(), lastErrorKind);
            }
          } finally {
            relaying.unlock();
          }
        }));
      } catch (Throwable t) {
        followed.completeExceptionally(t);
      }
    });
    try {
      CompletableFuture.anyOf(followed, giveUp).get();
    } catch (InterruptedException e) {
      // a cancel interrupts the job's thread; its onCancel action cancels the remote job
      stop(relaying, over);
      if (!job.cancelled()) {
        Thread.currentThread().interrupt(); // the daemon is closing: keep the interrupt
      }
      throw new JobCancelledException();
    } catch (ExecutionException e) {
      // the follow failed: told below by join()
    }
    if (!followed.isDone() || followed.isCompletedExceptionally() && giveUp.isDone()) {
      stop(relaying, over);
      String id = remoteId.get();
      if (id != null) {
        Thread.ofVirtual().start(() -> cancelQuietly(id));
      }
      throw giveUp.join();
    }
    Done done;
    try {
      done = followed.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof JobClientException jce) {
        throw jce;
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
    return outcome(done, job, lastErrorKind[0]);
  }

  private static void stop(ReentrantLock relaying, boolean[] over) {
    relaying.lock();
    try {
      over[0] = true;
    } finally {
      relaying.unlock();
    }
  }

  private static Done outcome(Done done, JobContext job, String lastErrorKind) {
    if (done.status() == JobStatus.SUCCEEDED) {
      return done;
    }
    if (done.status() == JobStatus.CANCELLED || job.cancelled()) {
      throw new JobCancelledException();
    }
    // done carries the kind; older daemons only said it in their last error narration
    String kind = done.errorKind() != null ? done.errorKind() : lastErrorKind;
    throw new RelayedFailureException(kind, done.error() == null ? "remote job failed" : done.error());
  }

  private void relay(SseEvent event, JobContext job, String remoteJobId,
      String[] lastErrorKind) {
    if (JobEvent.GAP.equals(event.event())) {
      relayGap(event, job, remoteJobId);
    } else if (JobEvent.NARRATION.equals(event.event())) {
      // edited as text (NarrationJson): parsing and writing every relayed narration was most
      // of the relay's cost; text it cannot edit is parsed once and written once
      String data = NarrationJson.withDefaultHiveId(event.data(), hiveId);
      if (data == null) {
        Narration n = Json.read(event.data(), Narration.class).withDefaultHiveId(hiveId);
        if (n.errorKind() != null) {
          lastErrorKind[0] = n.errorKind();
        }
        job.relay(n);
        return;
      }
      String kind = NarrationJson.errorKind(data);
      if (kind != null) {
        lastErrorKind[0] = kind;
      }
      job.relay(JobEvent.NARRATION, data);
    } else {
      job.relay(event.event(), event.data());
    }
  }

  private void relayGap(SseEvent event, JobContext job, String remoteJobId) {
    Gap gap;
    try {
      gap = Json.read(event.data(), Gap.class).relayedInto(job.jobId(), remoteJobId, hiveId);
    } catch (RuntimeException e) {
      // a gap we cannot read still says events were lost: pass it on as it came
      job.relay(JobEvent.GAP, event.data());
      return;
    }
    job.relay(JobEvent.GAP, Json.write(gap));
    job.narrate("relay_gap").warn().hiveId(gap.hiveId())
        .human("Lost {} events of job {} on the way from {} (its history no longer held them)",
            gap.missed(), gap.upstreamJobId(), gap.hiveId() == null ? "upstream" : gap.hiveId())
        .emit();
  }

  private void cancelQuietly(String remoteJobId) {
    try {
      client.cancel(remoteJobId);
    } catch (JobClientException e) {
      // the remote is gone or the job already ended: the stream's end tells the outcome
    }
  }

  /** The stats of a remote {@code done}, or an empty map. */
  public static Map<String, Object> statsOf(Done done) {
    return done.stats() == null ? Map.of() : done.stats();
  }
}

package io.rbee.narration;

/**
 * The narration factory of one actor. Operation code does not use it directly: it narrates
 * through its job ({@code job.narrate("worker_spawn").human(...).emit()}), which is built on
 * {@link #job}. What has no job (a daemon starting, background work) says so explicitly:
 *
 * <pre>{@code
 * static final Narrator NARRATE = Narrator.of("worker");
 * NARRATE.withoutJob("worker_ready").human("Ready in {} ms", ms).emit(); // process log only
 * }</pre>
 */
public final class Narrator {
  private final String actor;
  private final Broadcaster broadcaster;

  private Narrator(String actor, Broadcaster broadcaster) {
    if (actor == null || actor.isBlank()) {
      throw new IllegalArgumentException("actor must not be blank");
    }
    this.actor = actor;
    this.broadcaster = broadcaster;
  }

  /** A narrator for {@code actor} that emits to the process-wide broadcaster. */
  public static Narrator of(String actor) {
    return new Narrator(actor, Broadcaster.global());
  }

  /** A narrator bound to another broadcaster (tests, benchmarks). */
  public static Narrator of(String actor, Broadcaster broadcaster) {
    return new Narrator(actor, broadcaster);
  }

  public String actor() {
    return actor;
  }

  /** A narrator for {@code otherActor} on the same broadcaster. */
  public Narrator as(String otherActor) {
    return new Narrator(otherActor, broadcaster);
  }

  /**
   * Starts a narration of {@code action} for job {@code jobId}: it reaches that job's channel
   * in this process, or is dropped and counted when the job has none. Finish it with
   * {@link NarrationBuilder#emit()}.
   */
  public NarrationBuilder job(String jobId, String action) {
    if (jobId == null || jobId.isBlank()) {
      throw new IllegalArgumentException("jobId must not be blank; use withoutJob(action)");
    }
    return new NarrationBuilder(actor, action, jobId, broadcaster);
  }

  /** Starts a narration that belongs to no job: it goes to the process log only. */
  public NarrationBuilder withoutJob(String action) {
    return new NarrationBuilder(actor, action, null, broadcaster);
  }
}

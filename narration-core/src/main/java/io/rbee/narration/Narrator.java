package io.rbee.narration;

/**
 * The narration factory of one actor. Keep one per component as a constant:
 *
 * <pre>{@code
 * static final Narrator NARRATE = Narrator.of("hive");
 * NARRATE.action("worker_spawn").jobId(jobId).human("Spawning worker for {}", model).emit();
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

  /** Starts a narration of {@code action}; finish it with {@link NarrationBuilder#emit()}. */
  public NarrationBuilder action(String action) {
    return new NarrationBuilder(actor, action, broadcaster);
  }
}

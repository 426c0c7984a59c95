package io.rbee.narration;

import java.time.Instant;

/**
 * Builds one narration; not thread-safe, meant to be used in a single expression ending in
 * {@link #emit()}. Its job is fixed when it is made ({@link Narrator#job}, or a job's own
 * {@code narrate}), never set afterwards, so a narration cannot be re-pointed at another job.
 */
public final class NarrationBuilder {
  private final String actor;
  private final String action;
  private final Broadcaster broadcaster;
  private String target;
  private String human;
  private final String jobId;
  private Level level = Level.INFO;
  private String hiveId;
  private String workerId;
  private String model;
  private String device;
  private String errorKind;
  private Long durationMs;
  private Progress progress;

  /** {@code jobId} null: the process log only. */
  NarrationBuilder(String actor, String action, String jobId, Broadcaster broadcaster) {
    if (action == null || action.isBlank()) {
      throw new IllegalArgumentException("action must not be blank");
    }
    this.actor = actor;
    this.action = action;
    this.jobId = jobId;
    this.broadcaster = broadcaster;
  }

  public NarrationBuilder target(String target) {
    this.target = target;
    return this;
  }

  /**
   * The message for people. Each {@code {}} is replaced by the next argument, as in SLF4J;
   * secrets in the result are redacted when the narration is emitted.
   */
  public NarrationBuilder human(String template, Object... args) {
    this.human = format(template, args);
    return this;
  }

  public NarrationBuilder level(Level level) {
    this.level = level;
    return this;
  }

  public NarrationBuilder warn() {
    return level(Level.WARN);
  }

  public NarrationBuilder error(String errorKind) {
    this.errorKind = errorKind;
    return level(Level.ERROR);
  }

  public NarrationBuilder hiveId(String hiveId) {
    this.hiveId = hiveId;
    return this;
  }

  public NarrationBuilder workerId(String workerId) {
    this.workerId = workerId;
    return this;
  }

  public NarrationBuilder model(String model) {
    this.model = model;
    return this;
  }

  public NarrationBuilder device(String device) {
    this.device = device;
    return this;
  }

  public NarrationBuilder durationMs(long durationMs) {
    this.durationMs = durationMs;
    return this;
  }

  public NarrationBuilder progress(long current, Long total, String unit) {
    this.progress = new Progress(current, total, unit);
    return this;
  }

  /**
   * The narration as it would be emitted now, without emitting it. The free-text fields that
   * may carry a URL or a credential ({@code human}, {@code target}, {@code model}) are
   * redacted.
   */
  public Narration build() {
    return new Narration(actor, action, Redactor.redact(target), Redactor.redact(human), jobId,
        level, Instant.now().toString(), hiveId, workerId, Redactor.redact(model), device,
        errorKind, durationMs, progress);
  }

  /**
   * Emits the narration: to the job's channel when {@code jobId} is set and the job has a
   * channel in this process, and to the process log in every case. Never throws, never blocks
   * on a follower.
   */
  public void emit() {
    broadcaster.narrate(build());
  }

  static String format(String template, Object... args) {
    if (template == null) {
      return null;
    }
    if (args == null || args.length == 0) {
      return template;
    }
    StringBuilder out = new StringBuilder(template.length() + 16 * args.length);
    int next = 0;
    int from = 0;
    while (true) {
      int at = template.indexOf("{}", from);
      if (at < 0 || next >= args.length) {
        out.append(template, from, template.length());
        return out.toString();
      }
      out.append(template, from, at).append(args[next++]);
      from = at + 2;
    }
  }
}

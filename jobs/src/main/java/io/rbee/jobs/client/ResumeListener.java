package io.rbee.jobs.client;

/**
 * Told when a followed stream breaks and when it resumes ({@link JobClient#follow(String,
 * long, java.util.function.Consumer, ResumeListener)}), so a follower can say so to its user.
 * Called on the thread that follows, between events; must not block.
 */
public interface ResumeListener {
  /** Tells nothing. */
  ResumeListener NONE = new ResumeListener() {
    @Override
    public void lost(String problem) {}

    @Override
    public void resumed() {}
  };

  /**
   * The stream broke after it had connected, and the follower tries to resume it within its
   * resume window; {@code problem} says why it broke. Once per outage, however many attempts.
   */
  void lost(String problem);

  /** A resumed stream delivered an event again, after {@link #lost}. */
  void resumed();
}

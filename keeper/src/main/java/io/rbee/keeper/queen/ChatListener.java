package io.rbee.keeper.queen;

/**
 * What a {@link ChatCall} tells while it reads an answer, on the thread that runs
 * {@link ChatCall#execute}, in order: {@link #started} once, then {@link #text} for every
 * piece of the answer. Must not block for long: the queen's stream waits meanwhile.
 */
public interface ChatListener {
  /**
   * The queen accepted the turn and answers it as job {@code jobId} (its
   * {@code X-Rbee-Job-Id}; null when it named none), before any text. The job's own stream
   * ({@code rbee jobs follow}) tells its scheduling, worker spawn and load meanwhile.
   */
  void started(String jobId);

  /** The next piece of the answer, never empty. */
  void text(String piece);
}

package io.rbee.jobs.limits;

/**
 * What one worker takes in at once: {@link #GENERATION} generations run, {@link #QUEUE} more
 * jobs wait at the worker for a slot; a worker refuses more (429). Shared by the worker (which
 * enforces it) and the queen (which holds its own requests back so that its users queue at the
 * queen instead of being refused by the worker).
 */
public final class WorkerSlots {
  /** Generations that run at once on one worker (llama.cpp runs one sequence at a time here). */
  public static final int GENERATION = 1;

  /** Jobs that may wait at a worker for its generation slot. */
  public static final int QUEUE = 8;

  private WorkerSlots() {}

  /** Jobs one worker holds at once, running or waiting: {@link #GENERATION} + {@link #QUEUE}. */
  public static int capacity() {
    return GENERATION + QUEUE;
  }
}

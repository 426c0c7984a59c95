package io.rbee.jobs.limits;

/**
 * How many CPU threads llama.cpp computes with in one worker. rbee always sets the count
 * explicitly: llama.cpp's own default (every core, OpenMP threads that spin and sleep at
 * barriers many times a token) competes with the daemons that relay the tokens, and on a small
 * machine made generation several times slower and erratic (docs/OPERATIONS.md, "Worker
 * threads", has the measurement).
 */
public final class LlamaThreads {
  /** The fewest threads a worker may be given. */
  public static final int MIN = 1;

  /** The most threads a worker may be given (a bound on typos, not on hardware). */
  public static final int MAX = 256;

  private LlamaThreads() {}

  /**
   * The default for a machine with {@code cpus} cores: half of them, at least one, so the
   * queen, the hive and the worker's own HTTP side keep cores to relay tokens on.
   */
  public static int defaultFor(int cpus) {
    return Math.max(MIN, Math.min(MAX, cpus / 2));
  }

  /** {@link #defaultFor} this machine's available processors. */
  public static int machineDefault() {
    return defaultFor(Runtime.getRuntime().availableProcessors());
  }

  /** Throws {@link IllegalArgumentException} naming {@code field} unless {@code n} is in range. */
  public static int check(String field, int n) {
    if (n < MIN || n > MAX) {
      throw new IllegalArgumentException(field + " must be " + MIN + ".." + MAX + ", got " + n);
    }
    return n;
  }
}

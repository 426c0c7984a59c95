package io.rbee.hive.workers;

import java.util.Locale;

/** Where a worker is in its life, as {@code WorkerInfo.state} reports it (lower case). */
public enum WorkerState {
  /** The process runs and is loading its model. */
  STARTING,
  /** {@code /health} answered ready: it takes inference jobs. */
  READY,
  /** A stop was requested; the process has not exited yet. */
  STOPPING,
  /** Exited after a stop request, or with code 0. */
  STOPPED,
  /** Exited on its own with a non-zero code, or never became ready. */
  FAILED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True while the worker holds (or is about to hold) its model. */
  public boolean holdsModel() {
    return this == STARTING || this == READY;
  }
}

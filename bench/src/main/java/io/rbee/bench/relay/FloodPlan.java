package io.rbee.bench.relay;

/**
 * How one flood runs: {@code events} narrations, emitted as fast as possible ({@code rate} 0) or
 * paced at {@code rate} events per second.
 */
public record FloodPlan(int events, int rate) {
  public FloodPlan {
    if (events < 1) {
      throw new IllegalArgumentException("events must be >= 1, got " + events);
    }
    if (rate < 0) {
      throw new IllegalArgumentException("rate must be >= 0 (0 = as fast as possible), got "
          + rate);
    }
  }

  public boolean burst() {
    return rate == 0;
  }
}

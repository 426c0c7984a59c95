package io.rbee.jobs;

import java.util.List;

/**
 * The three daemons that run jobs, and which operations each accepts: the queen accepts every
 * operation (it runs {@link Operation.OnQueen}, forwards {@link Operation.OnHive} to a hive and
 * schedules {@link Operation.OnWorker} onto a worker), a hive accepts {@link Operation.OnHive},
 * a worker {@link Operation.OnWorker}. The one place a daemon's accepted set comes from.
 */
public enum Daemon {
  QUEEN("queen", Operation.class),
  HIVE("hive", Operation.OnHive.class),
  WORKER("worker", Operation.OnWorker.class);

  private final String id;
  private final Class<? extends Operation> accepted;
  private final List<String> operations;

  Daemon(String id, Class<? extends Operation> accepted) {
    this.id = id;
    this.accepted = accepted;
    this.operations = OperationTypes.leaves(accepted).stream()
        .map(OperationTypes::wireName).toList();
  }

  /** The daemon's name in messages and logs ({@code "hive"}). */
  public String id() {
    return id;
  }

  /** The operation names this daemon accepts, in {@link Operation#NAMES} order. */
  public List<String> operations() {
    return operations;
  }

  /** True when this daemon accepts {@code op}. */
  public boolean accepts(Operation op) {
    return accepted.isInstance(op);
  }
}

package io.rbee.queen.hives;

import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.Operation;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.server.ForwardingJob;
import io.rbee.jobs.server.JobContext;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;

/**
 * The view of a forwarded hive operation that writes its result into the live registry as it
 * passes (a downloaded model, a spawned or killed worker, a deleted model), so a request that
 * follows at once sees it without waiting for the hive's next beat, which says the same a few
 * milliseconds later and replaces the note. Everything else passes through unchanged.
 */
public final class BeatNotes extends ForwardingJob {
  private final Operation.OnHive op;
  private final LiveHives live;

  BeatNotes(JobContext job, Operation.OnHive op, LiveHives live) {
    super(job);
    this.op = op;
    this.live = live;
  }

  /** {@code job} itself for an operation that changes nothing the registry holds. */
  public static JobContext of(JobContext job, Operation.OnHive op, LiveHives live) {
    return switch (op) {
      case Operation.ModelDownload o -> new BeatNotes(job, op, live);
      case Operation.ModelDelete o -> new BeatNotes(job, op, live);
      case Operation.WorkerSpawn o -> new BeatNotes(job, op, live);
      case Operation.WorkerKill o -> new BeatNotes(job, op, live);
      default -> job;
    };
  }

  @Override
  public void result(Object value) {
    note(Json.write(value));
    super.result(value);
  }

  @Override
  public void relay(String event, String data) {
    if (JobEvent.RESULT.equals(event)) {
      note(data);
    }
    super.relay(event, data);
  }

  private void note(String json) {
    try {
      switch (op) {
        case Operation.ModelDownload o -> live.noteModel(op.hiveId(),
            Json.read(json, ModelInfo.class), true);
        case Operation.ModelDelete o -> live.noteModel(op.hiveId(),
            Json.read(json, ModelInfo.class), false);
        case Operation.WorkerSpawn o -> live.noteWorker(Json.read(json, WorkerInfo.class));
        case Operation.WorkerKill o -> live.forgetWorker(op.hiveId(),
            Json.read(json, WorkerInfo.class).workerId());
        default -> { }
      }
    } catch (RuntimeException e) {
      // a result the registry cannot read: the hive's next beat tells the truth anyway
    }
  }
}

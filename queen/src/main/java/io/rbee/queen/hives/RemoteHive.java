package io.rbee.queen.hives;

import com.fasterxml.jackson.core.type.TypeReference;
import io.rbee.jobs.DeviceInfo;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.client.JobClientException;
import io.rbee.jobs.server.JobContext;
import io.rbee.queen.relay.Relay;
import java.util.List;

/**
 * Distributed mode: a hive daemon reached over HTTP. An operation is forwarded as a job on the
 * hive; the hive job's events are relayed into the queen's job (see {@link Relay}). A hive
 * that beats to the queen fails the job with {@code hive_stale} as soon as it goes stale.
 */
public final class RemoteHive implements HiveConnection {
  private final String hiveId;
  private final JobClient client;
  private final LiveHives live;

  /**
   * The hive {@code hiveId} at {@code url}, called with the installation's {@code token};
   * {@code live}: the queen's live registry, so a relay from this hive ends when it is stale.
   */
  public RemoteHive(String hiveId, String url, LiveHives live, AccessToken token) {
    this.hiveId = hiveId;
    this.client = new JobClient(url, token);
    this.live = live;
  }

  @Override
  public String hiveId() {
    return hiveId;
  }

  @Override
  public String mode() {
    return "daemon";
  }

  @Override
  public String url() {
    return client.baseUrl();
  }

  @Override
  public void execute(Operation.OnHive op, JobContext job) throws Exception {
    job.narrate("hive_forward").hiveId(hiveId)
        .human("Forwarding {} to hive {} at {}", op.name(), hiveId, url()).emit();
    try {
      if (live != null && live.get(hiveId).isPresent()) {
        // a hive that beats: its job fails as soon as it goes stale
        try (LiveHives.Watch watch = live.watch(hiveId)) {
          new Relay(client, hiveId).run(op, job, watch.stale());
        }
      } else {
        new Relay(client, hiveId).run(op, job);
      }
    } catch (JobClientException e) {
      throw unreachable(e);
    }
  }

  @Override
  public List<WorkerInfo> workers() {
    return get("/v1/workers", new TypeReference<List<WorkerInfo>>() {});
  }

  @Override
  public List<ModelInfo> models() {
    return get("/v1/models", new TypeReference<List<ModelInfo>>() {});
  }

  @Override
  public List<DeviceInfo> devices() {
    return get("/v1/devices", new TypeReference<List<DeviceInfo>>() {});
  }

  @Override
  public String workerLog(String workerId, int tail) {
    try {
      return client.getText(client.url("v1", "workers", workerId, "logs").newBuilder()
          .addQueryParameter("tail", Integer.toString(tail)).build());
    } catch (JobClientException e) {
      if (e.kind() == JobClientException.Kind.NOT_FOUND) {
        throw new OperationException(ErrorKind.WORKER_NOT_FOUND,
            "no worker " + workerId + " on hive " + hiveId);
      }
      throw unreachable(e);
    }
  }

  @Override
  public boolean healthy() {
    return client.healthy();
  }

  private <T> T get(String path, TypeReference<T> type) {
    try {
      return client.get(path, type);
    } catch (JobClientException e) {
      throw unreachable(e);
    }
  }

  private OperationException unreachable(JobClientException e) {
    return switch (e.kind()) {
      // the client's message names the URL and the cause already
      case UNREACHABLE -> new OperationException(ErrorKind.HIVE_UNREACHABLE, "hive " + hiveId + ": "
          + e.getMessage() + "; start it with `rbee hive start --hive " + hiveId + "`");
      case UNAUTHORIZED -> new OperationException(ErrorKind.UNAUTHORIZED, "hive " + hiveId
          + " at " + url() + " refused this queen's token: it is another installation's hive"
          + " (its RBEE_HOME/token differs) (" + e.getMessage() + ")");
      case STREAM_BROKEN -> new OperationException(ErrorKind.HIVE_LOST,
          "hive " + hiveId + " went away mid-job: " + e.getMessage());
      default -> new OperationException(ErrorKind.HIVE_ERROR, "hive " + hiveId + ": " + e.getMessage());
    };
  }
}

package io.rbee.hive.heartbeats;

import io.rbee.jobs.HiveHeartbeat;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.client.JobClient;
import java.time.Duration;
import okhttp3.OkHttpClient;

/**
 * Beats to a queen over HTTP: {@code POST /v1/hives/{hive_id}/heartbeat}, through the project's
 * job client (so whatever credentials it carries, the beat carries). One beat may take at most
 * the beat interval (at least 1 s): a frozen queen delays the next beat, never the hive.
 */
public final class QueenLink implements BeatSink {
  private final JobClient client;

  /** Beats to the queen at {@code queenUrl} with the installation's {@code token}. */
  public QueenLink(String queenUrl, Duration interval, AccessToken token) {
    Duration limit = interval.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
        : interval;
    OkHttpClient http = new OkHttpClient.Builder()
        .connectTimeout(limit)
        .callTimeout(limit)
        .build();
    this.client = new JobClient(queenUrl, http, token).named("queen");
  }

  @Override
  public void send(HiveHeartbeat beat) throws Exception {
    client.post(client.url("v1", "hives", beat.hiveId(), "heartbeat"), beat,
        HiveHeartbeat.Ack.class);
  }

  @Override
  public String describe() {
    return "queen at " + client.baseUrl();
  }
}

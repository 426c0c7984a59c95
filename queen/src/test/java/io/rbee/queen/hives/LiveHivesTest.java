package io.rbee.queen.hives;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.HiveHeartbeat;
import io.rbee.jobs.OperationException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LiveHivesTest {
  private final LiveHives live = new LiveHives(null);

  @AfterEach
  void close() {
    live.close();
  }

  private static HiveHeartbeat beat(String hiveId, long intervalMs, long sequence) {
    return new HiveHeartbeat(hiveId, "http://127.0.0.2:9000", intervalMs, sequence, List.of(),
        List.of(), List.of());
  }

  @Test
  void aHiveIsFreshWhileItBeatsAndStaleAfterThreeMissedBeats() {
    HiveHeartbeat.Ack ack = live.beat(beat("blue", 100, 1));
    assertThat(ack.known()).isFalse();
    assertThat(ack.staleAfterMs()).isEqualTo(300);
    assertThat(live.fresh("blue")).isTrue();
    assertThat(live.beat(beat("blue", 100, 2)).known()).isTrue();

    long t0 = System.nanoTime();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !live.fresh("blue"));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(ms).isBetween(250L, 300L + 1_000L);
    assertThat(live.get("blue")).hasValueSatisfying(e -> {
      assertThat(e.liveness()).isEqualTo("stale");
      assertThat(e.beat().sequence()).isEqualTo(2);
    });

    live.beat(beat("blue", 100, 3));
    assertThat(live.get("blue")).hasValueSatisfying(e ->
        assertThat(e.liveness()).isEqualTo("fresh"));
  }

  @Test
  void aWatchOfAHiveThatGoesStaleCompletesWithAFailureNamingIt() throws Exception {
    live.beat(beat("green", 100, 1));
    try (LiveHives.Watch watch = live.watch("green")) {
      OperationException failure = watch.stale().get(5, TimeUnit.SECONDS);
      assertThat(failure.kind()).isEqualTo(ErrorKind.HIVE_STALE);
      assertThat(failure.getMessage()).contains("hive green", "stopped sending heartbeats");
    }
    // a watch of a hive that is stale already completes at once
    try (LiveHives.Watch again = live.watch("green")) {
      assertThat(again.stale()).isCompleted();
    }
  }

  @Test
  void theQueensStaleTimeWinsOverTheHivesInterval() {
    LiveHives told = new LiveHives(Duration.ofMillis(5_000));
    try {
      assertThat(told.beat(beat("blue", 100, 1)).staleAfterMs()).isEqualTo(5_000);
    } finally {
      told.close();
    }
  }

  @Test
  void aHiveThatNeverBeatIsNeitherFreshNorStale() {
    assertThat(live.fresh("nobody")).isFalse();
    assertThat(live.get("nobody")).isEmpty();
    try (LiveHives.Watch watch = live.watch("nobody")) {
      assertThat(watch.stale()).isNotCompleted();
    }
  }
}

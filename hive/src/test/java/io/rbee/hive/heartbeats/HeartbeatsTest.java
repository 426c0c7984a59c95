package io.rbee.hive.heartbeats;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.hive.Hive;
import io.rbee.hive.HiveConfig;
import io.rbee.jobs.HiveHeartbeat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeartbeatsTest {
  @TempDir Path home;
  Hive hive;
  Heartbeats beats;

  @AfterEach
  void close() {
    if (beats != null) {
      beats.close();
    }
    if (hive != null) {
      hive.close();
    }
  }

  /** A sink that records what it got and fails while told to. */
  static final class Recorder implements BeatSink {
    final List<HiveHeartbeat> got = new CopyOnWriteArrayList<>();
    final AtomicInteger attempts = new AtomicInteger();
    volatile boolean down;

    @Override
    public void send(HiveHeartbeat beat) throws Exception {
      attempts.incrementAndGet();
      if (down) {
        throw new java.io.IOException("connection refused");
      }
      got.add(beat);
    }

    @Override
    public String describe() {
      return "test sink";
    }
  }

  private Recorder start(Duration interval) {
    hive = new Hive(HiveConfig.local(home).withHiveId("blue"));
    Recorder sink = new Recorder();
    beats = Heartbeats.start(hive, "http://127.0.0.2:9000", interval, sink);
    return sink;
  }

  @Test
  void theFirstBeatGoesAtOnceAndTheNextOnesEveryInterval() {
    Recorder sink = start(Duration.ofMillis(200));
    Awaitility.await().atMost(Duration.ofSeconds(1)).until(() -> sink.got.size() >= 1);
    HiveHeartbeat first = sink.got.get(0);
    assertThat(first.hiveId()).isEqualTo("blue");
    assertThat(first.url()).isEqualTo("http://127.0.0.2:9000");
    assertThat(first.intervalMs()).isEqualTo(200);
    assertThat(first.sequence()).isEqualTo(1);
    assertThat(first.devices()).extracting(d -> d.id()).contains("cpu");
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sink.got.size() >= 4);
    assertThat(sink.got).extracting(HiveHeartbeat::sequence).startsWith(1L, 2L, 3L, 4L);
  }

  @Test
  void aChangeIsSentAtOnceNotAtTheNextInterval() {
    Recorder sink = start(Duration.ofSeconds(30));
    Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> sink.got.size() == 1);
    beats.changed();
    Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> sink.got.size() == 2);
  }

  @Test
  void aQueenThatIsDownIsTriedEveryIntervalAndHearsTheHiveWhenItIsBack() {
    Recorder sink = start(Duration.ofMillis(100));
    sink.down = true;
    int before = sink.attempts.get();
    Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> sink.attempts.get() >= before + 5);
    int received = sink.got.size();
    sink.down = false;
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> sink.got.size() > received);
  }
}

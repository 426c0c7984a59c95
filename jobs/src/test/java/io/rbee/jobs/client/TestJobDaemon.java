package io.rbee.jobs.client;

import static io.rbee.jobs.auth.TestToken.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.server.DaemonHttp;
import io.rbee.jobs.server.JobServer;
import io.rbee.jobs.server.OperationHandler;
import io.rbee.narration.Broadcaster;
import io.rbee.narration.HistoryLimits;
import io.rbee.narration.sse.SseEvent;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.stream.LongStream;

/**
 * A real job daemon for the client's tests: a job server that runs {@code Status} with
 * {@code handler}, on its own broadcaster, with a 500 ms keep-alive, served on 127.0.0.1 and a
 * free port. Close it after the test.
 */
final class TestJobDaemon implements AutoCloseable {
  final Broadcaster broadcaster = new Broadcaster(HistoryLimits.DEFAULT);
  final JobServer jobs;
  final DaemonHttp http;

  TestJobDaemon(OperationHandler handler) {
    jobs = new JobServer(JobServer.Options.of("hive", Set.of("Status"))
        .withBroadcaster(broadcaster).withKeepAlive(Duration.ofMillis(500)), handler);
    http = new DaemonHttp("hive", TOKEN, jobs::routes).start("127.0.0.1", 0);
  }

  /** Tokens a1..a5, then, once {@code release} opens, b1..b5: ids 1..10, {@code done} 11. */
  static OperationHandler fiveTokensThenFiveMore(CountDownLatch release) {
    return (op, job) -> {
      for (int i = 1; i <= 5; i++) {
        job.token("a" + i);
      }
      release.await();
      for (int i = 1; i <= 5; i++) {
        job.token("b" + i);
      }
    };
  }

  /**
   * A follower of {@link #fiveTokensThenFiveMore} that notes every event in {@code events} and,
   * at the fifth, cuts the connection and lets the job go on.
   */
  static Consumer<SseEvent> cuttingAtTheFifth(List<SseEvent> events, CuttingProxy proxy,
      CountDownLatch release) {
    return e -> {
      events.add(e);
      if (e.numericId() == 5) {
        proxy.cut();
        release.countDown();
      }
    };
  }

  /** What a follower of {@link #fiveTokensThenFiveMore} got: every event once, in order. */
  static void assertEveryEventOnceInOrder(List<SseEvent> events) {
    assertThat(events).extracting(SseEvent::numericId)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 11).boxed().toList());
    assertThat(events.get(5).data()).isEqualTo("{\"text\":\"b1\"}");
  }

  @Override
  public void close() {
    http.stop();
    jobs.close();
  }
}

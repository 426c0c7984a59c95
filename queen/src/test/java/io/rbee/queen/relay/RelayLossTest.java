package io.rbee.queen.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Token;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.server.DaemonHttp;
import io.rbee.jobs.server.JobContext;
import io.rbee.jobs.server.JobServer;
import io.rbee.jobs.server.OperationHandler;
import io.rbee.narration.Broadcaster;
import io.rbee.narration.Gap;
import io.rbee.narration.HistoryLimits;
import io.rbee.narration.JobChannel;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.Narration;
import io.rbee.narration.sse.SseEvent;
import io.rbee.testkit.net.TcpProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A relay over a link that breaks, stalls and crawls (a {@link TcpProxy} between a "hive" job
 * server and a "queen" job server, both real, over HTTP): every remote event reaches the
 * queen's stream exactly once and in order, or its loss is announced there by a gap event and
 * counted in {@code done}'s {@code lost_events}. Never a silent loss.
 */
class RelayLossTest {
  private static final AccessToken TOKEN = AccessToken.generate("this test");

  private static final Duration KEEP = Duration.ofMinutes(1);

  private final Broadcaster queenBroadcaster = new Broadcaster(HistoryLimits.DEFAULT);
  private final AtomicReference<String> hiveJobId = new AtomicReference<>();
  private JobServer hive;
  private DaemonHttp hiveHttp;
  private TcpProxy link;
  private JobServer queen;
  private DaemonHttp queenHttp;
  private JobClient queenClient;
  private Broadcaster hiveChannels;

  /** A hive keeping {@code historyEvents} per job, a link to it, and a queen relaying over it. */
  private void start(int historyEvents, OperationHandler hiveWork) throws Exception {
    Broadcaster b = new Broadcaster(new HistoryLimits(historyEvents, 64L << 20, KEEP, 10));
    hive = new JobServer(JobServer.Options.of("hive", Set.of("HiveCheck")).withBroadcaster(b),
        (op, job) -> {
          hiveJobId.set(job.jobId());
          hiveWork.execute(op, job);
        });
    hiveHttp = new DaemonHttp("hive", TOKEN, hive::routes).start("127.0.0.1", 0);
    hiveChannels = b;
    link = TcpProxy.to(hiveHttp.port());
    JobClient toHive = new JobClient(link.url(), TOKEN);
    queen = new JobServer(JobServer.Options.of("queen", Set.of("HiveCheck"))
        .withBroadcaster(queenBroadcaster),
        (op, job) -> new Relay(toHive, "box").run(op, job));
    queenHttp = new DaemonHttp("queen", TOKEN, queen::routes).start("127.0.0.1", 0);
    queenClient = new JobClient(queenHttp.baseUrl(), TOKEN);
  }

  @AfterEach
  void stop() throws Exception {
    if (queenHttp != null) {
      queenHttp.stop();
      queen.close();
      link.close();
      hiveHttp.stop();
      hive.close();
    }
  }

  private JobChannel hiveJob() {
    Awaitility.await().until(() -> hiveJobId.get() != null);
    return hiveChannels.find(hiveJobId.get()).orElseThrow();
  }

  /** Emits tokens "1".."n" (their text is their sequence number, and their hive event id). */
  private static void tokens(JobContext job, int from, int to) {
    for (int i = from; i <= to; i++) {
      job.token(Integer.toString(i));
    }
  }

  private static long seq(SseEvent e) {
    return Long.parseLong(Json.read(e.data(), Token.class).text());
  }

  @Test
  void eventsTheHiveNoLongerHadWhenTheLinkCameBackAreAGapInTheQueenStreamAndInDone()
      throws Exception {
    CountDownLatch burst = new CountDownLatch(1);
    start(10, (op, job) -> {
      tokens(job, 1, 5);
      burst.await();
      tokens(job, 6, 105); // while the link is down: the hive keeps only the last 10 events
    });
    String id = queenClient.submit(new Operation.HiveCheck("box")).jobId();
    JobChannel queenJob = queenBroadcaster.find(id).orElseThrow();
    Awaitility.await().until(() -> queenJob.snapshot().stream()
        .filter(e -> e.event().equals(JobEvent.TOKEN)).count() == 5);

    link.pause(); // the reconnect waits on the link...
    link.cutAll();
    burst.countDown();
    Awaitility.await().until(() -> hiveJob().finished()); // ...while the hive runs on
    link.resume();

    List<SseEvent> events = new ArrayList<>();
    Done done = queenClient.follow(id, 0, events::add);

    // hive: 105 tokens and done, ids 1..106; kept 97..106; the relay asked after 5
    assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(done.lostEvents()).isEqualTo(91L);
    assertThat(events).extracting(SseEvent::numericId)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
    List<SseEvent> gaps = events.stream().filter(e -> e.event().equals(JobEvent.GAP)).toList();
    assertThat(gaps).singleElement().satisfies(e -> assertThat(Json.read(e.data(), Gap.class))
        .isEqualTo(new Gap(id, 91, 97, hiveJobId.get(), "box")));
    assertThat(events).filteredOn(e -> e.event().equals(JobEvent.TOKEN))
        .extracting(RelayLossTest::seq).containsExactlyElementsOf(
            LongStream.concat(LongStream.rangeClosed(1, 5), LongStream.rangeClosed(97, 105))
                .boxed().toList());
    assertThat(events).filteredOn(e -> e.event().equals(JobEvent.NARRATION))
        .extracting(e -> Json.read(e.data(), Narration.class))
        .filteredOn(n -> n.action().equals("relay_gap")).singleElement()
        .satisfies(n -> assertThat(n.human()).contains("Lost 91 events", "box"));
  }

  @Test
  void aLinkThatIsCutAgainAndAgainAndThrottledStillDeliversEveryEventOnceInOrder()
      throws Exception {
    int n = 2_000;
    start(HistoryLimits.DEFAULT.maxEvents(), (op, job) -> tokens(job, 1, n));
    link.throttle(100_000);
    List<SseEvent> events = new CopyOnWriteArrayList<>();
    String id = queenClient.submit(new Operation.HiveCheck("box")).jobId();

    Done done = queenClient.follow(id, 0, e -> {
      events.add(e);
      if (e.event().equals(JobEvent.TOKEN) && seq(e) % 200 == 0) {
        link.cutAll();
      }
    });

    assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(link.cuts()).isGreaterThanOrEqualTo(5);
    assertThat(events).extracting(SseEvent::event).doesNotContain(JobEvent.GAP);
    assertThat(events).filteredOn(e -> e.event().equals(JobEvent.TOKEN))
        .extracting(RelayLossTest::seq)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, n).boxed().toList());
    assertThat(done.lostEvents()).isNull();
  }

  @Test
  void aFlappingLinkToAHiveThatOutrunsItAnnouncesEveryLossAndNeverLosesSilently()
      throws Exception {
    int n = 2_000;
    start(300, (op, job) -> tokens(job, 1, n));
    link.throttle(100_000);
    List<SseEvent> events = new CopyOnWriteArrayList<>();
    String id = queenClient.submit(new Operation.HiveCheck("box")).jobId();

    Done done = queenClient.follow(id, 0, e -> {
      events.add(e);
      if (e.event().equals(JobEvent.TOKEN) && seq(e) % 200 == 0) {
        // the hive ran ahead: what was in flight on the cut link is no longer in its history
        Awaitility.await().until(() -> hiveJob().finished());
        link.cutAll();
      }
    });

    assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
    // walk the stream: between two tokens, a jump in sequence is exactly what a gap announced
    long previous = 0;
    long announced = 0;
    long lost = 0;
    Gap pending = null;
    for (SseEvent e : events) {
      if (e.event().equals(JobEvent.GAP)) {
        pending = Json.read(e.data(), Gap.class);
        announced += pending.missed();
      } else if (e.event().equals(JobEvent.TOKEN)) {
        long s = seq(e);
        if (pending == null) {
          assertThat(s).as("token after %s, with no gap announced", previous)
              .isEqualTo(previous + 1);
        } else {
          assertThat(s).as("token after the gap").isEqualTo(pending.firstId());
          assertThat(s - previous - 1).as("missed").isEqualTo(pending.missed());
          lost += pending.missed();
          pending = null;
        }
        previous = s;
      }
    }
    long received = events.stream().filter(e -> e.event().equals(JobEvent.TOKEN)).count();
    assertThat(announced).as("losses announced").isPositive().isEqualTo(lost);
    assertThat(received + lost).isEqualTo(n);
    assertThat(done.lostEvents()).isEqualTo(lost);
    assertThat(events).extracting(SseEvent::numericId)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
  }
}

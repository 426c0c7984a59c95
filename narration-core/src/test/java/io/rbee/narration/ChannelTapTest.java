package io.rbee.narration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** A channel's tap sees every event once, in id order, evicted ones and done included. */
class ChannelTapTest {
  @Test
  void tapSeesEveryEventOnceInIdOrderEvenThoseTheHistoryEvicts() throws Exception {
    List<JobEvent> tapped = new CopyOnWriteArrayList<>();
    Broadcaster b = new Broadcaster(new HistoryLimits(3, 1 << 20, Duration.ofHours(1), 10));
    JobChannel job = b.open("job-tap", tapped::add);
    List<Thread> senders = new java.util.ArrayList<>();
    for (int t = 0; t < 4; t++) {
      senders.add(Thread.ofVirtual().start(() -> {
        for (int i = 0; i < 250; i++) {
          job.send(JobEvent.NARRATION, "{}");
        }
      }));
    }
    for (Thread t : senders) {
      t.join();
    }
    job.finish("{\"status\":\"succeeded\"}");
    job.send(JobEvent.NARRATION, "{}"); // after done: not appended, not tapped

    assertThat(tapped).extracting(JobEvent::id)
        .containsExactlyElementsOf(LongStream.rangeClosed(1, 1001).boxed().toList());
    assertThat(tapped.getLast().event()).isEqualTo(JobEvent.DONE);
    assertThat(job.snapshot()).hasSize(3); // the history kept 3; the tap saw all
  }

  @Test
  void aChannelOpenedWithoutATapWorksAsBefore() {
    JobChannel job = new Broadcaster(HistoryLimits.DEFAULT).open("job-plain", null);
    assertThat(job.send(JobEvent.NARRATION, "{}")).isEqualTo(1);
  }
}

package io.rbee.narration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A job stream ends with exactly one {@code done}, and nothing follows it. */
class ExactlyOneDoneTest {
  private final JobChannel job = new Broadcaster(HistoryLimits.DEFAULT).open("job-1");

  @Test
  void finishingTwiceKeepsTheFirstDoneAndReturnsMinusOne() {
    job.send(JobEvent.NARRATION, "{}");

    long first = job.finish("{\"status\":\"succeeded\"}");
    long second = job.finish("{\"status\":\"failed\"}");

    assertThat(first).isEqualTo(2);
    assertThat(second).isEqualTo(-1);
    assertThat(job.snapshot())
        .filteredOn(e -> e.event().equals(JobEvent.DONE))
        .singleElement()
        .extracting(JobEvent::data)
        .isEqualTo("{\"status\":\"succeeded\"}");
  }

  @Test
  void sendsAfterFinishReturnMinusOneAndAreNotKept() {
    job.finish("{}");

    assertThat(job.send(JobEvent.NARRATION, "{\"late\":true}")).isEqualTo(-1);
    assertThat(job.send(JobEvent.TOKEN, "{}")).isEqualTo(-1);
    assertThat(job.lastId()).isEqualTo(1);
    assertThat(job.snapshot()).extracting(JobEvent::event).containsExactly(JobEvent.DONE);
  }

  @Test
  void finishedAtIsSetOnlyByFinish() {
    assertThat(job.finished()).isFalse();
    assertThat(job.finishedAt()).isNull();

    job.finish("{}");

    assertThat(job.finished()).isTrue();
    assertThat(job.finishedAt()).isNotNull();
  }

  @Test
  void racingFinishersProduceExactlyOneDone() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Long>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        int n = i;
        results.add(pool.submit(() -> {
          start.await();
          job.send(JobEvent.NARRATION, "{}");
          return job.finish("{\"by\":" + n + "}");
        }));
      }
      start.countDown();
      List<Long> ids = new ArrayList<>();
      for (Future<Long> r : results) {
        ids.add(r.get(10, TimeUnit.SECONDS));
      }

      assertThat(ids).filteredOn(id -> id > 0).hasSize(1);
      assertThat(job.snapshot()).filteredOn(e -> e.event().equals(JobEvent.DONE)).hasSize(1);
      assertThat(job.snapshot().get(job.snapshot().size() - 1).event()).isEqualTo(JobEvent.DONE);
    } finally {
      pool.shutdownNow();
    }
  }
}

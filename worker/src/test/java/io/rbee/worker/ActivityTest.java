package io.rbee.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.KeepAlive;
import io.rbee.jobs.Operation;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ActivityTest {
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  final Activity activity = new Activity(KeepAlive.DEFAULT, nanos::get);

  static Operation.Infer infer(String keepAlive) {
    return new Operation.Infer(null, "tiny", "hi", 4, 0.0, null, null, null, null)
        .withKeepAlive(keepAlive);
  }

  void advanceMs(long ms) {
    nanos.addAndGet(ms * 1_000_000);
  }

  @Test
  void idleTimeCountsFromTheLastJobsEndAndIsZeroWhileAnyJobRuns() {
    advanceMs(700);
    assertThat(activity.idleMs()).isEqualTo(700);

    activity.begin(infer(null));
    activity.begin(infer(null)); // one runs, one waits for the slot
    advanceMs(5_000);
    assertThat(activity.idleMs()).isZero();
    activity.end();
    assertThat(activity.idleMs()).as("one job still waits").isZero();
    activity.end();
    advanceMs(250);

    assertThat(activity.idleMs()).isEqualTo(250);
  }

  @Test
  void theLatestRequestThatCarriesAKeepAliveSetsIt() {
    assertThat(activity.keepAlive()).isEqualTo(KeepAlive.DEFAULT);

    activity.begin(infer("2s"));
    activity.end();
    assertThat(activity.keepAlive().millis()).isEqualTo(2_000);

    activity.begin(infer(null)); // says nothing: the last one said stays
    activity.end();
    assertThat(activity.keepAlive().millis()).isEqualTo(2_000);

    activity.begin(infer("-1"));
    activity.end();
    assertThat(activity.keepAlive()).isEqualTo(KeepAlive.FOREVER);
  }

  @Test
  void theModelsLoadIsNotIdleTime() {
    advanceMs(30_000); // loading
    activity.loaded();
    advanceMs(10);

    assertThat(activity.idleMs()).isEqualTo(10);
  }
}

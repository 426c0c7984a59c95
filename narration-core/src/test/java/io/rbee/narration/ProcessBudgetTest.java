package io.rbee.narration;

import static io.rbee.narration.Followers.ids;
import static io.rbee.narration.Followers.nextEvent;
import static io.rbee.narration.Followers.range;
import static io.rbee.narration.Followers.readToDone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** All jobs of a process together keep at most the process budget of history. */
class ProcessBudgetTest {
  private static final String KB = "{\"text\":\"" + "x".repeat(989) + "\"}"; // 1,000 characters
  private static final long EVENT = 2 * 1000 + JobEvent.TOKEN.length() + 64; // what it counts
  private static final long DONE = 2 * 2 + JobEvent.DONE.length() + 64; // done with "{}"
  private static final long BUDGET = 20_000;

  private final Broadcaster b = new Broadcaster(
      new HistoryLimits(1_000, 1 << 20, Duration.ofHours(1), 100).withProcessBytes(BUDGET));

  private JobChannel job(String id, int events) {
    JobChannel c = b.open(id);
    for (int i = 0; i < events; i++) {
      c.send(JobEvent.TOKEN, KB);
    }
    return c;
  }

  @Test
  void everyChannelCountsItsHistoryInTheProcessTotal() {
    job("a", 2).finish("{}");
    job("b", 3);

    assertThat(b.bytesKept()).isEqualTo(5 * EVENT + DONE);
    assertThat(b.find("a").orElseThrow().bytesKept()).isEqualTo(2 * EVENT + DONE);
  }

  @Test
  void overTheBudgetFinishedJobsAreForgottenOldestFirstAndRunningOnesKeepEverything() {
    job("a", 3).finish("{}");
    job("b", 3).finish("{}");
    job("c", 3).finish("{}");
    JobChannel running = job("running", 0);
    assertThat(b.bytesKept()).isLessThan(BUDGET);

    running.send(JobEvent.TOKEN, KB); // 3 × 6,279 + 2,069 = 20,906 > 20,000

    assertThat(b.find("a")).isEmpty();
    assertThat(b.find("b")).isPresent();
    assertThat(b.find("c")).isPresent();
    assertThat(running.snapshot()).hasSize(1);
    assertThat(b.bytesKept()).isLessThanOrEqualTo(BUDGET - BUDGET / 10)
        .isEqualTo(2 * (3 * EVENT + DONE) + EVENT);
  }

  @Test
  void withNoFinishedJobLeftTheLargestRunningJobLosesItsOldestEventsAndItsFollowerGetsAGap()
      throws Exception {
    JobChannel small = job("small", 1);
    JobChannel big = job("big", 8); // 2,069 + 8 × 2,069 = 18,621: under the budget
    Subscription follower = big.follow(0);
    assertThat(b.bytesKept()).isEqualTo(9 * EVENT);

    big.send(JobEvent.TOKEN, KB); // 20,690: over; back to at most 18,000

    assertThat(small.snapshot()).hasSize(1);
    assertThat(ids(big.snapshot())).isEqualTo(range(3, 9));
    assertThat(b.bytesKept()).isLessThanOrEqualTo(BUDGET - BUDGET / 10);
    JobEvent first = nextEvent(follower);
    assertThat(first.id()).isEqualTo(3);
    assertThat(follower.gap()).isEqualTo(new Gap("big", 2, 3));
  }

  @Test
  void aFollowerReplayingAJobForgottenForTheBudgetGetsAGapThenDone() throws Exception {
    JobChannel old = job("old", 5);
    old.finish("{}"); // done is 6
    Subscription replaying = old.follow(0);

    job("new", 5); // 10,417 + 5 × 2,069 > 20,000: "old" goes

    assertThat(b.find("old")).isEmpty();
    assertThat(old.bytesKept()).as("its memory is freed at once").isEqualTo(DONE);
    assertThat(ids(readToDone(replaying))).containsExactly(6L);
    assertThat(replaying.gap()).isEqualTo(new Gap("old", 5, 6));
    assertThat(b.bytesKept()).isEqualTo(5 * EVENT);
  }

  @Test
  void forgettingAFinishedJobForItsRetentionTakesItOutOfTheTotal() {
    Broadcaster quick = new Broadcaster(new HistoryLimits(10, 1 << 20, Duration.ZERO, 100));
    quick.open("a").finish("{}");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
      quick.sweep();
      return quick.find("a").isEmpty();
    });

    assertThat(quick.bytesKept()).isZero();
  }

  @Test
  void theLevelCutsTheLargestHistoriesFirst() {
    assertThat(BudgetLevel.of(new long[] {10, 100, 1000}, 2000)).isEqualTo(1000);
    assertThat(BudgetLevel.of(new long[] {10, 100, 1000}, 510)).isEqualTo(400);
    assertThat(BudgetLevel.of(new long[] {10, 100, 1000}, 90)).isEqualTo(40);
    assertThat(BudgetLevel.of(new long[] {10, 100, 1000}, 0)).isZero();
    assertThat(BudgetLevel.of(new long[] {}, 10)).isEqualTo(10);
  }

  @Test
  void theDefaultBudgetIsAQuarterOfTheHeapAtMostFourGiB() {
    long quarter = Runtime.getRuntime().maxMemory() / 4;

    assertThat(HistoryLimits.DEFAULT.processBytes())
        .isEqualTo(Math.min(quarter, HistoryLimits.MAX_DEFAULT_PROCESS_BYTES));
    assertThatThrownBy(() -> HistoryLimits.DEFAULT.withProcessBytes(1023))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 1023");
  }
}

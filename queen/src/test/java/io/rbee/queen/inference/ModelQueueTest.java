package io.rbee.queen.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.limits.Gate;
import io.rbee.testkit.jobs.TestJob;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The model queue the scheduler keeps at the queen: bounded, refusing one job too many. */
class ModelQueueTest {
  @Test
  void aJobBeyondTheQueueLimitFailsQueueFullNamingTheResource() throws Exception {
    Gate queue = new Gate("a free slot at a worker with model demo", 1, 1);
    Gate.Permit front = queue.enter(TestJob.open());
    Thread waiter = Thread.ofVirtual().start(() -> queue.enter(TestJob.open()).close());
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> queue.waiting() == 1);

    assertThatThrownBy(() -> queue.enter(TestJob.open()))
        .isInstanceOfSatisfying(OperationException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.QUEUE_FULL);
          assertThat(e.getMessage()).contains("model demo", "1 jobs wait");
        });

    front.close();
    waiter.join(5_000);
    assertThat(queue.holders()).isZero();
  }
}

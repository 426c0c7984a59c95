package io.rbee.narration;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads subscriptions in tests: waits on the subscription itself, never sleeps. */
final class Followers {
  /** Longest quiet gap tolerated while a job is expected to keep producing events. */
  static final Duration PATIENCE = Duration.ofSeconds(10);

  private Followers() {}

  /** Every event up to and including {@code done}; fails if the job goes quiet first. */
  static List<JobEvent> readToDone(Subscription s) throws InterruptedException {
    List<JobEvent> events = new ArrayList<>();
    while (true) {
      JobEvent e = s.next(PATIENCE);
      if (e == null) {
        if (s.exhausted()) {
          return events;
        }
        fail("job %s went quiet for %s after %d events", s.jobId(), PATIENCE, events.size());
      }
      events.add(e);
    }
  }

  /** The next event, failing if none comes within {@link #PATIENCE}. */
  static JobEvent nextEvent(Subscription s) throws InterruptedException {
    JobEvent e = s.next(PATIENCE);
    if (e == null) {
      fail("no event on job %s within %s (exhausted: %s)", s.jobId(), PATIENCE, s.exhausted());
    }
    return e;
  }

  /** The ids of {@code events}, in order. */
  static List<Long> ids(List<JobEvent> events) {
    return events.stream().map(JobEvent::id).toList();
  }

  /** The narrations among {@code events}, parsed. */
  static List<Narration> narrations(List<JobEvent> events) {
    return events.stream()
        .filter(e -> e.event().equals(JobEvent.NARRATION))
        .map(e -> Json.read(e.data(), Narration.class))
        .toList();
  }

  /** {@code from..to} inclusive as a list. */
  static List<Long> range(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }
}

package io.rbee.hive.workers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeepAliveReaperTest {
  static final long READY_LONG_AGO = 60_000;

  static HealthProbe.Load idle(long idleMs, long keepAliveMs) {
    return new HealthProbe.Load(false, 0, idleMs, keepAliveMs);
  }

  @Test
  void aWorkerIdleForItsWholeKeepAliveIsDue() {
    assertThat(KeepAliveReaper.expired(idle(2_000, 2_000), READY_LONG_AGO)).isTrue();
    assertThat(KeepAliveReaper.expired(idle(1_999, 2_000), READY_LONG_AGO)).isFalse();
    assertThat(KeepAliveReaper.expired(idle(1, 0), READY_LONG_AGO)).as("keep_alive 0").isTrue();
  }

  @Test
  void neverForeverNorBusyNorWithWaitersNorWhileAJobRuns() {
    assertThat(KeepAliveReaper.expired(idle(10_000_000, -1), READY_LONG_AGO)).isFalse();
    assertThat(KeepAliveReaper.expired(new HealthProbe.Load(true, 0, 5_000L, 0L),
        READY_LONG_AGO)).isFalse();
    assertThat(KeepAliveReaper.expired(new HealthProbe.Load(false, 1, 5_000L, 0L),
        READY_LONG_AGO)).isFalse();
    // idle_ms 0: a job runs or waits at the worker, even when its slot is not taken yet
    assertThat(KeepAliveReaper.expired(idle(0, 0), READY_LONG_AGO)).isFalse();
  }

  @Test
  void notAFreshlyLoadedWorkerNorOneThatDoesNotSay() {
    long fresh = KeepAliveReaper.FRESH.toMillis() - 1;
    assertThat(KeepAliveReaper.expired(idle(5_000, 0), fresh)).isFalse();
    assertThat(KeepAliveReaper.idle(idle(5_000, 0), fresh)).isFalse();
    assertThat(KeepAliveReaper.expired(new HealthProbe.Load(false, 0), READY_LONG_AGO))
        .isFalse();
    assertThat(KeepAliveReaper.expired(null, READY_LONG_AGO)).isFalse();
  }

  @Test
  void idleTimesReadAsPeopleSayThem() {
    assertThat(KeepAliveReaper.say(2_049)).isEqualTo("2.0 s");
    assertThat(KeepAliveReaper.say(45_000)).isEqualTo("45 s");
    assertThat(KeepAliveReaper.say(4 * 60_000 + 12_000)).isEqualTo("4 min");
    assertThat(KeepAliveReaper.say(2 * 3_600_000 + 5 * 60_000)).isEqualTo("2 h 5 min");
  }
}

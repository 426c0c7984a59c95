package io.rbee.queen.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SessionsTest {
  private final AtomicLong clock = new AtomicLong(1_000);
  private final Sessions sessions = new Sessions(clock::get, Duration.ofNanos(100));

  @Test
  void aSessionIdIs256RandomBitsInBase64Url() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      ids.add(sessions.create());
    }
    assertThat(ids).hasSize(100).allSatisfy(id -> assertThat(id).matches("[A-Za-z0-9_-]{43}"));
  }

  @Test
  void aSessionIsLiveUntilItExpiresOrEnds() {
    String a = sessions.create();
    String b = sessions.create();
    assertThat(sessions.isLive(a)).isTrue();
    sessions.end(b);
    assertThat(sessions.isLive(b)).isFalse();
    clock.addAndGet(99);
    assertThat(sessions.isLive(a)).isTrue();
    clock.addAndGet(1);
    assertThat(sessions.isLive(a)).isFalse();
    assertThat(sessions.size()).as("an expired session is dropped when seen").isZero();
  }

  @Test
  void pastTheMostLiveSessionsALoginGetsNoneUntilSomeExpire() {
    for (int i = 0; i < Sessions.MAX; i++) {
      assertThat(sessions.create()).isNotNull();
    }
    assertThat(sessions.create()).isNull();
    clock.addAndGet(100);
    assertThat(sessions.create()).as("the expired ones were dropped").isNotNull();
    assertThat(sessions.size()).isEqualTo(1);
  }

  @Test
  void unknownEmptyAndOverlongIdsAreNotLive() {
    sessions.create();
    assertThat(sessions.isLive("nope")).isFalse();
    assertThat(sessions.isLive("")).isFalse();
    assertThat(sessions.isLive(null)).isFalse();
    assertThat(sessions.isLive("x".repeat(10_000))).isFalse();
  }
}

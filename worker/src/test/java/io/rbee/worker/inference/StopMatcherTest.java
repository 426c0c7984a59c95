package io.rbee.worker.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StopMatcherTest {
  @Test
  void withoutStopStringsEverythingPassesAtOnce() {
    StopMatcher m = new StopMatcher(List.of());
    assertThat(m.feed(" the")).isEqualTo(" the");
    assertThat(m.feed(" cat")).isEqualTo(" cat");
    assertThat(m.matched()).isFalse();
    assertThat(m.flush()).isEmpty();
  }

  @Test
  void stopStringSplitAcrossPiecesIsHeldBackThenDropped() {
    StopMatcher m = new StopMatcher(List.of("END"));
    assertThat(m.feed(" the E")).isEqualTo(" the ");
    assertThat(m.feed("N")).isEmpty();
    assertThat(m.feed("D and more")).isEmpty();
    assertThat(m.matched()).isTrue();
    assertThat(m.feed(" ignored")).isEmpty();
    assertThat(m.flush()).isEmpty();
  }

  @Test
  void heldTextThatDoesNotBecomeAStopIsReleased() {
    StopMatcher m = new StopMatcher(List.of("END"));
    assertThat(m.feed("the EN")).isEqualTo("the ");
    assertThat(m.feed("Ough")).isEqualTo("ENOugh");
    assertThat(m.feed(" E")).isEqualTo(" ");
    assertThat(m.flush()).isEqualTo("E");
  }

  @Test
  void earliestOfSeveralStopsWins() {
    StopMatcher m = new StopMatcher(List.of("cat", " on"));
    assertThat(m.feed("the dog sat on the cat")).isEqualTo("the dog sat");
    assertThat(m.matched()).isTrue();
  }
}

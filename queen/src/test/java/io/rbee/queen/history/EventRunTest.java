package io.rbee.queen.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rbee.narration.JobEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One row's packed events: what goes in comes out, from a cursor, up to a count. */
class EventRunTest {
  private static final List<JobEvent> EVENTS = List.of(
      new JobEvent(3, "narration", "{\"human\":\"héllo — \\\"quoted\\\" \uD83D\uDC1D\"}"),
      new JobEvent(4, "token", "{\"t\":\"\"}"),
      new JobEvent(9, "done", "{\"status\":\"succeeded\"}"));

  private static List<JobEvent> unpack(byte[] packed, long afterId, int max) {
    List<JobEvent> out = new ArrayList<>();
    EventRun.unpack(packed, afterId, max, out);
    return out;
  }

  @Test
  void unpacksWhatWasPackedFromACursorUpToACount() {
    byte[] packed = EventRun.pack(EVENTS);
    assertThat(unpack(packed, 0, 10)).isEqualTo(EVENTS);
    assertThat(unpack(packed, 3, 10)).isEqualTo(EVENTS.subList(1, 3));
    assertThat(unpack(packed, 4, 10)).isEqualTo(EVENTS.subList(2, 3));
    assertThat(unpack(packed, 0, 2)).isEqualTo(EVENTS.subList(0, 2));
    assertThat(unpack(packed, 9, 10)).isEmpty();
  }

  @Test
  void knowsItsIdsAndRefusesAnIdThatDoesNotRise() {
    EventRun run = new EventRun();
    assertThat(run.isEmpty()).isTrue();
    EVENTS.forEach(run::add);
    assertThat(run.firstId()).isEqualTo(3);
    assertThat(run.lastId()).isEqualTo(9);
    assertThat(run.accepts(new JobEvent(9, "narration", "{}"))).isFalse();
    assertThatThrownBy(() -> run.add(new JobEvent(5, "narration", "{}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event 5 after 9");
  }

  @Test
  void closesAtItsEventOrByteBound() {
    EventRun byCount = new EventRun();
    for (int i = 1; i <= EventRun.MAX_EVENTS; i++) {
      assertThat(byCount.full()).isFalse();
      byCount.add(new JobEvent(i, "token", "{}"));
    }
    assertThat(byCount.full()).isTrue();
    EventRun byBytes = new EventRun();
    byBytes.add(new JobEvent(1, "result", "\"" + "x".repeat(EventRun.MAX_BYTES) + "\""));
    assertThat(byBytes.full()).isTrue();
  }

  @Test
  void aRowOfAnotherFormatIsAnErrorNotGarbage() {
    byte[] packed = EventRun.pack(EVENTS);
    packed[0] = 7;
    assertThatThrownBy(() -> unpack(packed, 0, 10)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unknown format 7");
    byte[] cut = java.util.Arrays.copyOf(EventRun.pack(EVENTS), 20);
    assertThatThrownBy(() -> unpack(cut, 0, 10)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("truncated");
    byte[] huge = EventRun.pack(EVENTS);
    java.nio.ByteBuffer.wrap(huge).putInt(1 + Long.BYTES, Integer.MAX_VALUE); // the name's length
    assertThatThrownBy(() -> unpack(huge, 0, 10)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("past the row's end");
  }
}

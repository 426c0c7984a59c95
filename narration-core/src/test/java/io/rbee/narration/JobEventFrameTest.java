package io.rbee.narration;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.narration.sse.SseEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** An event's SSE bytes are made once and shared by every follower. */
class JobEventFrameTest {
  @Test
  void theFrameIsTheEncodedEventWithItsId() throws Exception {
    JobEvent e = new JobEvent(7, JobEvent.TOKEN, "{\"text\":\"é\\n\"}");
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    e.writeTo(out);

    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(SseEncoder.event("7", "token", "{\"text\":\"é\\n\"}"));
    assertThat(e.frameLength()).isEqualTo(out.size());
  }

  @Test
  void theFrameIsEncodedOnceForAllFollowers() {
    JobEvent e = new JobEvent(1, JobEvent.NARRATION, "{}");

    assertThat(e.frame()).isSameAs(e.frame());
  }

  @Test
  void eventsAreValuesEqualByIdNameAndData() {
    JobEvent a = new JobEvent(1, JobEvent.TOKEN, "{}");
    a.frameLength(); // the cached frame is not part of the value

    assertThat(a).isEqualTo(new JobEvent(1, JobEvent.TOKEN, "{}"))
        .hasSameHashCodeAs(new JobEvent(1, JobEvent.TOKEN, "{}"))
        .isNotEqualTo(new JobEvent(2, JobEvent.TOKEN, "{}"));
  }
}

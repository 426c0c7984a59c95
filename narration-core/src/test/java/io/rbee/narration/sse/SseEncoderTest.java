package io.rbee.narration.sse;

import static io.rbee.narration.sse.SseParserTest.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the encoder writes is what every client parses back. */
class SseEncoderTest {

  @Test
  void anEventIsWrittenAsIdEventAndDataLinesEndedByABlankLine() {
    assertThat(SseEncoder.event("7", "narration", "{\"a\":1}"))
        .isEqualTo("id: 7\nevent: narration\ndata: {\"a\":1}\n\n");
    assertThat(SseEncoder.event(null, null, "x")).isEqualTo("data: x\n\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "plain", "", " leading space", "  two leading spaces", "trailing space ", "a\nb",
      "\n", "\n\n", "a\n\nb", "ends with newline\n", "\nstarts with newline", ": colon first",
      "data: looks like a field", "id: 99", "héllo → 🐝 ✓ 日本語", "nul \u0000 inside",
      "{\"job_id\":\"j\",\"human\":\"a\\nb\"}"})
  void dataWithoutCarriageReturnsRoundTripsExactly(String data) throws Exception {
    assertThat(parse(SseEncoder.event("1", "narration", data)))
        .containsExactly(new SseEvent("1", "narration", data));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\rb", "a\r\nb", "a\r\rb", "a\r\n\r\nb", "\r", "\r\n", "a\n\rb"})
  void carriageReturnLineBreaksArriveAsLineFeeds(String data) throws Exception {
    String expected = data.replace("\r\n", "\n").replace('\r', '\n');

    assertThat(parse(SseEncoder.event(null, "token", data)))
        .containsExactly(new SseEvent(null, "token", expected));
  }

  @Test
  void randomTextRoundTrips() throws Exception {
    Random random = new Random(42);
    String[] pieces = {"a", "b", " ", "  ", "\n", "\r", "\r\n", ":", "é", "🐝", "\u0000",
        "data:", "id:", "\uFEFF"};
    for (int i = 0; i < 2_000; i++) {
      StringBuilder data = new StringBuilder();
      for (int n = random.nextInt(12); n > 0; n--) {
        data.append(pieces[random.nextInt(pieces.length)]);
      }
      String text = data.toString();
      String expected = text.replace("\r\n", "\n").replace('\r', '\n');

      assertThat(parse(SseEncoder.event(Integer.toString(i), "e", text)))
          .as("data %s", text.replace("\r", "\\r").replace("\n", "\\n"))
          .containsExactly(new SseEvent(Integer.toString(i), "e", expected));
    }
  }

  @Test
  void aStreamOfEncodedEventsParsesInOrderWithItsIds() throws Exception {
    String stream = SseEncoder.retry(1500)
        + SseEncoder.event("1", "narration", "{}")
        + SseEncoder.comment("keep-alive")
        + SseEncoder.event("2", "token", "{\"text\":\" Hi\"}")
        + SseEncoder.event("3", "done", "{\"status\":\"succeeded\"}");
    SseParser parser = new SseParser(new StringReader(stream));

    assertThat(SseParserTest.drain(parser)).containsExactly(
        new SseEvent("1", "narration", "{}"),
        new SseEvent("2", "token", "{\"text\":\" Hi\"}"),
        new SseEvent("3", "done", "{\"status\":\"succeeded\"}"));
    assertThat(parser.retry()).isEqualTo(1500);
    assertThat(parser.lastEventId()).isEqualTo("3");
  }

  @Test
  void idsAndNamesWithLeadingSpacesRoundTrip() throws Exception {
    assertThat(parse(SseEncoder.event(" 1", " spaced", "x")))
        .containsExactly(new SseEvent(" 1", " spaced", "x"));
  }

  @Test
  void anEventWithoutANameIsAMessage() throws Exception {
    assertThat(parse(SseEncoder.event("4", null, "x")))
        .containsExactly(new SseEvent("4", "message", "x"));
    assertThat(parse(SseEncoder.event(null, null, null)))
        .containsExactly(new SseEvent(null, "message", ""));
  }

  @Test
  void aCommentNeverBecomesAnEventEvenWithLineBreaksInside() throws Exception {
    String comment = SseEncoder.comment("tick\ndata: injected\r\rdata: again");

    assertThat(parse(comment)).isEmpty();
    assertThat(parse(comment + SseEncoder.event(null, null, "real")))
        .extracting(SseEvent::data).containsExactly("real");
    assertThat(SseEncoder.comment(null)).isEqualTo(": \n\n");
  }

  @Test
  void idsAndNamesThatCannotBeEncodedAreRejected() {
    assertThatThrownBy(() -> SseEncoder.event("1\n2", "e", "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id");
    assertThatThrownBy(() -> SseEncoder.event("1\r", "e", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SseEncoder.event("1\u00002", "e", "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NUL");
    assertThatThrownBy(() -> SseEncoder.event("1", "a\nb", "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("event");
    assertThatThrownBy(() -> SseEncoder.retry(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
  }

  @Test
  void numericIdsReadAsNumbers() {
    assertThat(new SseEvent("42", "e", "").numericId()).isEqualTo(42);
    assertThat(new SseEvent(null, "e", "").numericId()).isZero();
    assertThat(new SseEvent("", "e", "").numericId()).isZero();
    assertThat(new SseEvent("abc", "e", "").numericId()).isZero();
  }
}

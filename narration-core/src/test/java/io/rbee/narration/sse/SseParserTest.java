package io.rbee.narration.sse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The parser against the WHATWG "interpreting an event stream" rules. */
class SseParserTest {

  static List<SseEvent> parse(String stream) throws IOException {
    return drain(new SseParser(new StringReader(stream)));
  }

  static List<SseEvent> drain(SseParser parser) throws IOException {
    List<SseEvent> events = new ArrayList<>();
    for (SseEvent e = parser.next(); e != null; e = parser.next()) {
      events.add(e);
    }
    return events;
  }

  @Test
  void dataLinesOfOneEventAreJoinedWithLineFeeds() throws Exception {
    assertThat(parse("data: GOOG\ndata: -1\ndata: 42\n\n"))
        .containsExactly(new SseEvent(null, "message", "GOOG\n-1\n42"));
  }

  @Test
  void anUnnamedEventIsAMessageAndANamedOneKeepsItsName() throws Exception {
    assertThat(parse("data: a\n\nevent: narration\ndata: b\n\ndata: c\n\n"))
        .extracting(SseEvent::event)
        .containsExactly("message", "narration", "message");
  }

  @Test
  void commentsAreIgnored() throws Exception {
    assertThat(parse(": keep-alive\n\n:\ndata: x\n: in the middle\ndata: y\n\n:tail\n\n"))
        .containsExactly(new SseEvent(null, "message", "x\ny"));
  }

  @Test
  void theIdPersistsAcrossEventsUntilTheServerChangesOrClearsIt() throws Exception {
    List<SseEvent> events = parse(
        "id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\nid\ndata: d\n\nid: 3\ndata: e\n\n"
            + "id:\ndata: f\n\n");

    assertThat(events).extracting(SseEvent::id).containsExactly("1", "1", "2", "", "3", "");
    assertThat(events).extracting(SseEvent::data).containsExactly("a", "b", "c", "d", "e", "f");
  }

  @Test
  void anIdContainingNulIsIgnored() throws Exception {
    List<SseEvent> events = parse("id: 5\ndata: a\n\nid: 6\u00007\ndata: b\n\n");

    assertThat(events).extracting(SseEvent::id).containsExactly("5", "5");
  }

  @Test
  void theLastEventIdIsTakenOnlyWhenAnEventCompletes() throws Exception {
    SseParser parser =
        new SseParser(new StringReader("id: 1\ndata: a\n\nid: 2\nevent: narration\ndata: cut"));

    assertThat(drain(parser)).extracting(SseEvent::id).containsExactly("1");
    // event 2 never completed: resuming must ask for it again
    assertThat(parser.lastEventId()).isEqualTo("1");
  }

  @Test
  void aBlankLineCommitsAnIdEvenWithoutData() throws Exception {
    SseParser parser = new SseParser(new StringReader("id: 9\n\n"));

    assertThat(drain(parser)).isEmpty();
    assertThat(parser.lastEventId()).isEqualTo("9");
    assertThat(new SseParser(new StringReader("data: x\n\n")).lastEventId()).isNull();
  }

  @Test
  void retryIsAcceptedOnlyAsAsciiDigits() throws Exception {
    assertThat(retryAfter("retry: 2500\n\n")).isEqualTo(2500);
    assertThat(retryAfter("retry:0\n\n")).isZero();
    assertThat(retryAfter("retry: 100\nretry: 3s\nretry: -5\nretry: 1e3\nretry:  7\nretry\n"
        + "retry: 99999999999999999999999\nretry: ١٢\n\n")).isEqualTo(100);
    assertThat(retryAfter("data: x\n\n")).isEqualTo(-1);
  }

  private static long retryAfter(String stream) throws IOException {
    SseParser parser = new SseParser(new StringReader(stream));
    drain(parser);
    return parser.retry();
  }

  @Test
  void aLeadingByteOrderMarkIsIgnoredButOnlyAtTheStart() throws Exception {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(bom);
    bytes.write("data: first\n\n".getBytes(UTF_8));
    bytes.write(bom);
    bytes.write("data: not a data field\n\ndata: last\n\n".getBytes(UTF_8));

    assertThat(drain(new SseParser(new ByteArrayInputStream(bytes.toByteArray()))))
        .extracting(SseEvent::data)
        .containsExactly("first", "last");
  }

  @Test
  void linesMayEndInCrLfOrLfOrCr() throws Exception {
    String expected = "a\nb";
    assertThat(parse("data: a\r\ndata: b\r\n\r\n")).extracting(SseEvent::data).containsExactly(expected);
    assertThat(parse("data: a\rdata: b\r\r")).extracting(SseEvent::data).containsExactly(expected);
    assertThat(parse("data: a\rdata: b\n\r\n")).extracting(SseEvent::data).containsExactly(expected);
    assertThat(parse("event: x\rdata: 1\r\rdata: 2\r\r"))
        .containsExactly(new SseEvent(null, "x", "1"), new SseEvent(null, "message", "2"));
  }

  @Test
  void anEventWithoutDataIsNotDispatchedAndDoesNotNameTheNextOne() throws Exception {
    assertThat(parse("event: ping\n\nevent: ping\nid: 1\n\ndata: x\n\n"))
        .containsExactly(new SseEvent("1", "message", "x"));
  }

  @Test
  void anIncompleteEventAtTheEndOfTheStreamIsDiscarded() throws Exception {
    assertThat(parse("data: whole\n\ndata: half\n")).extracting(SseEvent::data)
        .containsExactly("whole");
    assertThat(parse("data: whole\n\ndata: unterminated")).extracting(SseEvent::data)
        .containsExactly("whole");
    assertThat(parse("")).isEmpty();
  }

  @Test
  void aFieldWithoutAColonHasAnEmptyValue() throws Exception {
    assertThat(parse("data\n\n")).containsExactly(new SseEvent(null, "message", ""));
    assertThat(parse("data\ndata\n\n")).extracting(SseEvent::data).containsExactly("\n");
    assertThat(parse("event\ndata: x\n\n")).extracting(SseEvent::event).containsExactly("message");
  }

  @Test
  void onlyOneSpaceAfterTheColonIsRemoved() throws Exception {
    assertThat(parse("data:x\n\ndata: x\n\ndata:  x\n\ndata: \n\ndata:\tx\n\n"))
        .extracting(SseEvent::data)
        .containsExactly("x", "x", " x", "", "\tx");
  }

  @Test
  void unknownFieldsAndFieldNamesInOtherCasesAreIgnored() throws Exception {
    assertThat(parse("foo: bar\nData: no\nDATA: no\ndata: yes\n : not a comment\n\n"))
        .containsExactly(new SseEvent(null, "message", "yes"));
  }

  @Test
  void utf8IsDecodedAndInvalidBytesBecomeReplacementCharacters() throws Exception {
    byte[] good = "data: héllo → 🐝\n\n".getBytes(UTF_8);
    byte[] bad = {'d', 'a', 't', 'a', ':', ' ', 'a', (byte) 0xFF, 'b', '\n', '\n'};

    assertThat(drain(new SseParser(new ByteArrayInputStream(good))))
        .extracting(SseEvent::data).containsExactly("héllo → 🐝");
    assertThat(drain(new SseParser(new ByteArrayInputStream(bad))))
        .extracting(SseEvent::data).containsExactly("a\uFFFDb");
  }

  @Test
  void anEventIsDispatchedAsSoonAsItsBlankLineArrivesOnALiveStream() throws Exception {
    PipedOutputStream server = new PipedOutputStream();
    SseParser parser = new SseParser(new PipedInputStream(server, 1 << 16));

    ExecutorService reader = Executors.newSingleThreadExecutor();
    try {
      server.write("id: 1\ndata: live\n\n".getBytes(UTF_8));
      server.flush(); // and the stream stays open: the parser must not wait for more bytes

      assertThat(reader.submit(() -> parser.next()).get(10, TimeUnit.SECONDS))
          .isEqualTo(new SseEvent("1", "message", "live"));
      server.close();
    } finally {
      reader.shutdownNow();
    }
  }

  @Test
  void aCrLineEndIsNotHeldBackWaitingForAPossibleLineFeed() throws Exception {
    PipedWriter server = new PipedWriter();
    SseParser parser = new SseParser(new PipedReader(server, 1 << 16));

    // a piped stream needs its reader thread alive while the writer writes: one thread reads
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try {
      server.write("data: a\r\n\r"); // the last CR may or may not be followed by LF
      server.flush();
      assertThat(reader.submit(() -> parser.next()).get(10, TimeUnit.SECONDS))
          .isEqualTo(new SseEvent(null, "message", "a"));

      server.write("\ndata: b\r\n\r\n"); // it was: that LF ends nothing new
      server.close();
      assertThat(reader.submit(() -> drain(parser)).get(10, TimeUnit.SECONDS))
          .containsExactly(new SseEvent(null, "message", "b"));
    } finally {
      reader.shutdownNow();
    }
  }

  @Test
  void anyReadBoundaryGivesTheSameEvents() throws Exception {
    String stream = "\uFEFFid: 1\r\nevent: token\r\ndata: first\r\ndata:\r\ndata: third\r\n\r\n"
        + ": comment\rdata: é 😀\r\rdata\n\nid: 22\nretry: 250\ndata:  two spaces\n\n"
        + "event: narration\r\ndata: {\"a\":1}\r\n\r\n";
    List<SseEvent> whole = parse(stream);
    assertThat(whole).containsExactly(
        new SseEvent("1", "token", "first\n\nthird"),
        new SseEvent("1", "message", "é 😀"),
        new SseEvent("1", "message", ""),
        new SseEvent("22", "message", " two spaces"),
        new SseEvent("22", "narration", "{\"a\":1}"));
    for (int chunk = 1; chunk <= 9; chunk++) {
      int size = chunk;
      // a reader that hands out at most `size` chars per read, as a slow network would
      java.io.Reader dribble = new java.io.FilterReader(new StringReader(stream)) {
        @Override
        public int read(char[] cbuf, int off, int len) throws IOException {
          return super.read(cbuf, off, Math.min(len, size));
        }
      };
      assertThat(drain(new SseParser(dribble))).as("reads of %d chars", size)
          .containsExactlyElementsOf(whole);
    }
  }
}

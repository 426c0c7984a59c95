package io.rbee.jobs.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** The few words an HTTP failure is told in: the user's words, not the library's. */
class FailuresTest {
  @Test
  void aStreamCutMidLineReadsAsAClosedConnection() {
    // what okio throws when the server goes away in the middle of an SSE line
    assertThat(Failures.reason(new EOFException("\\n not found: limit=0 content=…")))
        .isEqualTo("the connection closed");
  }

  @Test
  void otherFailuresKeepTheirOwnWords() {
    assertThat(Failures.reason(new ConnectException("Connection refused")))
        .isEqualTo("connection refused");
    assertThat(Failures.reason(new IOException("unexpected end of stream on http://x")))
        .isEqualTo("connection closed (unexpected end of stream on http://x)");
    assertThat(Failures.reason(new IOException("first line\nsecond"))).isEqualTo("first line");
  }
}

package io.rbee.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Error kinds are typed once: wire names, reading them back, and the table in docs/API.md. */
class ErrorKindTest {
  static final String TABLE_HEAD = "| error_kind | meaning |\n| --- | --- |\n";

  @Test
  void wireNameIsTheConstantInSnakeCaseAndReadsBack() {
    for (ErrorKind k : ErrorKind.values()) {
      assertThat(k.wire()).isEqualTo(k.name().toLowerCase(Locale.ROOT)).matches("[a-z]+(_[a-z]+)*");
      assertThat(ErrorKind.fromWire(k.wire())).isSameAs(k);
      assertThat(k.meaning()).isNotBlank();
    }
    assertThat(ErrorKind.HIVE_LOST.wire()).isEqualTo("hive_lost");
  }

  @Test
  void unknownOrMissingWordReadsAsTheFallbackInsteadOfFailing() {
    assertThat(ErrorKind.fromWire("gpu_on_fire")).isEqualTo(ErrorKind.REMOTE_JOB_FAILED);
    assertThat(ErrorKind.fromWire(null)).isEqualTo(ErrorKind.REMOTE_JOB_FAILED);
    assertThat(ErrorKind.fromWire("HIVE_LOST")).isEqualTo(ErrorKind.REMOTE_JOB_FAILED);
    assertThat(ErrorKind.fromWire("nope", ErrorKind.INTERNAL)).isEqualTo(ErrorKind.INTERNAL);
  }

  @Test
  void relayedFailurePassesOnAWordThisVersionDoesNotKnow() {
    RelayedFailureException newer = new RelayedFailureException("gpu_on_fire", "boom");
    RelayedFailureException known = new RelayedFailureException("model_not_found", "no model");
    RelayedFailureException none = new RelayedFailureException(null, "failed");

    assertThat(newer.kind()).isEqualTo(ErrorKind.REMOTE_JOB_FAILED);
    assertThat(newer.wireKind()).isEqualTo("gpu_on_fire");
    assertThat(known.kind()).isEqualTo(ErrorKind.MODEL_NOT_FOUND);
    assertThat(known.wireKind()).isEqualTo("model_not_found");
    assertThat(none.wireKind()).isEqualTo("remote_job_failed");
    assertThat(new OperationException(ErrorKind.HIVE_LOST, "x").wireKind()).isEqualTo("hive_lost");
  }

  @Test
  void apiDocTableListsEveryKindInEnumOrder() throws Exception {
    String api = Files.readString(Path.of("..", "docs", "API.md"));

    assertThat(api)
        .as("docs/API.md must hold this table of error kinds (paste it from here)")
        .contains(table());
  }

  /** The table docs/API.md holds, generated from the enum. */
  static String table() {
    return TABLE_HEAD + Arrays.stream(ErrorKind.values())
        .map(k -> "| `" + k.wire() + "` | " + k.meaning() + " |\n")
        .collect(Collectors.joining());
  }
}

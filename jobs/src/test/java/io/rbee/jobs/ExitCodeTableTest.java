package io.rbee.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** One exit-code table for every program, documented in docs/OPERATIONS.md. */
class ExitCodeTableTest {
  @Test
  void codesAreDistinctAndReadBack() {
    assertThat(Arrays.stream(ExitCode.values()).map(ExitCode::code)).doesNotHaveDuplicates();
    for (ExitCode c : ExitCode.values()) {
      assertThat(ExitCode.of(c.code())).contains(c);
    }
    assertThat(ExitCode.of(137)).isEmpty();
    assertThat(ExitCode.USAGE.code()).as("picocli's usage code, as the keeper has always had")
        .isEqualTo(picocli.CommandLine.ExitCode.USAGE);
  }

  @Test
  void operationsDocHoldsTheTable() throws Exception {
    String table = "| code | name | meaning |\n| --- | --- | --- |\n"
        + Arrays.stream(ExitCode.values())
            .map(c -> "| " + c.code() + " | `" + c.name() + "` | " + c.meaning() + " |\n")
            .collect(Collectors.joining());

    assertThat(Files.readString(Path.of("..", "docs", "OPERATIONS.md")))
        .as("docs/OPERATIONS.md must hold this table of exit codes (paste it from here)")
        .contains(table);
  }
}

package io.rbee.keeper;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/CLI.md is generated from every command's --help. */
class CliReferenceTest {
  @Test
  void everyCommandHasASectionWithItsUsage() {
    String md = CliReference.markdown();

    assertThat(md).startsWith("# rbee command reference\n");
    for (String command : new String[] {"rbee", "rbee queen start", "rbee queen stop",
        "rbee queen status", "rbee hive start", "rbee hive list", "rbee status",
        "rbee jobs submit", "rbee jobs follow", "rbee jobs status", "rbee jobs cancel",
        "rbee model download", "rbee model delete", "rbee worker spawn", "rbee worker logs",
        "rbee infer", "rbee demo"}) {
      assertThat(md).contains("\n## `" + command + "`\n\n```text\nUsage: " + command);
    }
    assertThat(md).contains("Exit codes:").doesNotContain("\u001b[").doesNotContain("no-autostart");
  }

  @Test
  void mainWritesTheFileItIsGiven(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("docs/CLI.md");

    CliReference.main(new String[] {file.toString()});

    assertThat(Files.readString(file)).isEqualTo(CliReference.markdown());
  }
}

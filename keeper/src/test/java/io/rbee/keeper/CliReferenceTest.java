package io.rbee.keeper;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/CLI.md is generated from every command's --help, and the one in the tree is current. */
class CliReferenceTest {
  /** docs/CLI.md as seen from the keeper module, where Maven runs this test. */
  static final Path CHECKED_IN = Path.of("..", "docs", "CLI.md");

  static final String REGENERATE = "regenerate it from the repository root with: "
      + "./rbee --version >/dev/null && java -cp 'dist/target/lib/*' "
      + "io.rbee.keeper.CliReference docs/CLI.md";

  @Test
  void checkedInReferenceMatchesTheCommandsHelp() throws Exception {
    assertThat(CHECKED_IN)
        .as("docs/CLI.md is missing (looked for %s); %s", CHECKED_IN.toAbsolutePath().normalize(),
            REGENERATE)
        .isRegularFile();

    String checkedIn = Files.readString(CHECKED_IN, StandardCharsets.UTF_8);

    assertThat(checkedIn)
        .as("docs/CLI.md differs from the commands' --help (CliReference.markdown()); %s",
            REGENERATE)
        .isEqualTo(CliReference.markdown());
  }

  @Test
  void everyCommandHasASectionWithItsUsage() {
    String md = CliReference.markdown();

    assertThat(md).startsWith("# rbee command reference\n");
    for (String command : new String[] {"rbee", "rbee queen start", "rbee queen stop",
        "rbee queen status", "rbee hive start", "rbee hive list", "rbee status",
        "rbee jobs submit", "rbee jobs follow", "rbee jobs status", "rbee jobs cancel",
        "rbee model download", "rbee model delete", "rbee worker spawn", "rbee worker logs",
        "rbee infer", "rbee chat", "rbee demo"}) {
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

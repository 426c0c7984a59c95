package io.rbee.keeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rbee completion bash|zsh}: the script picocli generates, sourced by a real bash (and
 * zsh, where installed), completes commands, subcommands, options and enum values.
 */
class CompletionTest {
  /** Calls the completion function as bash does for the words given; prints COMPREPLY. */
  private static final String ASK = """
      t() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; \
      COMP_POINT=${#COMP_LINE}; COMPREPLY=(); _complete_rbee 2>/dev/null; \
      echo "${COMPREPLY[*]}"; }
      """;

  @TempDir Path dir;

  @Test
  void bashCompletesCommandsSubcommandsOptionsAndValues() throws Exception {
    Path script = script("bash");

    String out = shell("bash", "source " + script + " 2>/dev/null\n" + ASK
        + "t rbee jo; t rbee jobs ''; t rbee jobs list --st; t rbee completion ''; t rbee queen s");

    assertThat(out.lines()).containsExactly("jobs", "list submit follow logs status cancel",
        "--status", "bash zsh", "start stop status");
  }

  @Test
  void zshRegistersTheSameScriptThroughBashcompinit() throws Exception {
    assumeTrue(installed("zsh"), "zsh is not installed");
    Path script = script("zsh");

    // zsh filters the candidates by what was typed itself; bashcompinit calls with ksharrays
    String out = shell("zsh", "source " + script + " 2>/dev/null\n"
        + "echo \"${_comps[rbee]}\"\nsetopt ksharrays\n" + ASK + "t rbee jobs ''");

    assertThat(out.lines()).containsExactly("_bash_complete -F _complete_rbee -o default",
        "list submit follow logs status cancel");
  }

  @Test
  void anUnknownShellIsAUsageError() {
    Cli.Result r = new Cli().run("completion", "fish");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("fish").contains("bash, zsh");
  }

  private Path script(String shell) throws IOException {
    Cli.Result r = new Cli().run("completion", shell);
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("_complete_rbee");
    Path file = dir.resolve("rbee." + shell);
    Files.writeString(file, r.out(), StandardCharsets.UTF_8);
    return file;
  }

  private static String shell(String shell, String script) throws Exception {
    Process p = new ProcessBuilder(shell, "-c", script).redirectErrorStream(false).start();
    p.getOutputStream().close();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(shell + " finished").isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  private static boolean installed(String program) {
    try {
      return new ProcessBuilder(program, "-c", "true").start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }
}

package io.rbee.queen.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Words for the remote shell: what sh reads back is what was meant. */
class ShellTest {
  @Test
  void wordsReadBackAsThemselves() throws Exception {
    for (String w : List.of("plain", "/a b/c", "it's", "$HOME", "a;b", "\"q\"", "`x`")) {
      assertThat(sh("printf '%s' " + Shell.quote(w))).isEqualTo(w);
    }
  }

  @Test
  void aHomePathIsExpandedByTheRemoteShellOnly() throws Exception {
    assertThat(sh("HOME=/h; printf '%s' " + Shell.path("~/jdk 21/bin/java")))
        .isEqualTo("/h/jdk 21/bin/java");
    assertThat(sh("printf '%s' " + Shell.path("/opt/~x"))).isEqualTo("/opt/~x");
  }

  private static String sh(String command) throws Exception {
    Process p = new ProcessBuilder("/bin/sh", "-c", command).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return out;
  }
}

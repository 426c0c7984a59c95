package io.rbee.jobs.logs;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.launch.JvmLauncher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process started with a log file writes it itself: rolled over by size into a fixed window
 * of older files, with secrets redacted from messages and stack traces.
 */
class DaemonLogFileTest {
  @TempDir Path dir;

  @Test
  void aChattyDaemonsLogRollsOverBySizeAndKeepsAFixedWindow() throws Exception {
    Path log = dir.resolve("logs").resolve("chatty.log");

    run(log, 2_000); // about 2 MB of lines against a 200 KB limit

    try (Stream<Path> files = Files.list(log.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("chatty.log", "chatty.log.1", "chatty.log.2", "chatty.log.3");
    }
    for (String name : List.of("chatty.log.1", "chatty.log.2", "chatty.log.3")) {
      // a rolled file is one limit's worth (checked every few writes, so a little more)
      assertThat(Files.size(log.resolveSibling(name))).isBetween(200_000L, 400_000L);
    }
    assertThat(Files.readString(log)).contains("line 1999");
  }

  @Test
  void secretsInMessagesAndStackTracesNeverReachTheFile() throws Exception {
    Path log = dir.resolve("quiet.log");

    run(log, 1);

    String text = Files.readString(log);
    assertThat(text).contains("fetching https://me:[REDACTED]@mirror.example/m.gguf",
        "X-Amz-Signature=[REDACTED]", "IllegalStateException", "token=[REDACTED]",
        "rbee-test: raw stderr line");
    assertThat(text).doesNotContain("hunter2", "s1gn4tur3", "t0k3n");
  }

  private static void run(Path log, int lines) throws IOException, InterruptedException {
    Process p = JvmLauncher.of(ChattyMain.class.getName())
        .jvmArg("-Drbee.log.max.size=200KB")
        .jvmArg("-Drbee.log.check.every=1 millisecond")
        .arg(Integer.toString(lines))
        .logTo(log)
        .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }
}

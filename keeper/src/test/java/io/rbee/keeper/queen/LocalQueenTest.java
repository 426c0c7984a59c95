package io.rbee.keeper.queen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rbee.keeper.KeeperException;
import io.rbee.narration.Json;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local queen's pid file and failure paths, with real processes but never a real queen
 * (the keeper's classpath has none, which is how the early-exit path is exercised).
 */
class LocalQueenTest {
  @TempDir
  Path home;

  private LocalQueen queen() {
    return new LocalQueen(home, HttpQueenApi::new);
  }

  private Path pidFile() {
    return home.resolve("run/queen.json");
  }

  @Test
  void busyPortIsAClearErrorAndNothingIsStarted() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      assertThatThrownBy(() -> queen().start(port, false, line -> {}))
          .isInstanceOf(KeeperException.class)
          .hasMessageStartingWith("port " + port + " on 127.0.0.1 is in use by another program");
    }
    assertThat(pidFile()).doesNotExist();
  }

  @Test
  void queenThatExitsBeforeAnsweringIsReportedWithItsLogAndLeavesNoPidFile() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }

    assertThatThrownBy(() -> queen().start(port, false, line -> {}))
        .isInstanceOf(KeeperException.class)
        .hasMessageContaining("the queen exited with code 1 before answering /health")
        .hasMessageContaining("io.rbee.queen.QueenMain")
        .hasMessageContaining("log: " + home.resolve("logs/queen.log"));
    assertThat(pidFile()).doesNotExist();
    assertThat(Files.readString(home.resolve("logs/queen.log")))
        .contains("io.rbee.queen.QueenMain");
  }

  @Test
  void pidFileOfADeadProcessIsStaleAndRemoved() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor(10, TimeUnit.SECONDS);
    writePidFile(gone.pid());

    assertThat(queen().running()).isEmpty();
    assertThat(pidFile()).doesNotExist();
    assertThat(queen().stop()).isEmpty();
  }

  @Test
  void pidFileNamingAnotherProgramIsStaleAndThatProgramIsLeftAlone() throws Exception {
    Process other = new ProcessBuilder("sleep", "30").start();
    try {
      writePidFile(other.pid());

      assertThat(queen().stop()).isEmpty();

      assertThat(other.isAlive()).isTrue();
      assertThat(pidFile()).doesNotExist();
    } finally {
      other.destroyForcibly();
    }
  }

  private void writePidFile(long pid) throws Exception {
    Files.createDirectories(pidFile().getParent());
    Files.writeString(pidFile(), Json.write(
        new QueenRecord(pid, 8500, "http://127.0.0.1:8500", false, "2026-01-01T00:00:00Z")));
  }
}

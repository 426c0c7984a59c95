package io.rbee.keeper.queen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rbee.keeper.KeeperException;
import io.rbee.narration.Json;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    return new LocalQueen(home, this::api);
  }

  private QueenApi api(String url) {
    return new HttpQueenApi(url, new QueenToken(home, Map.of()));
  }

  @Test
  void startedQueenIsDetachedRecordedAndAnswersThenStopsOnSigterm() throws Exception {
    int port = freePort();
    LocalQueen launcher = new LocalQueen(home, this::api, StandInQueen.class.getName());
    List<String> said = new ArrayList<>();

    QueenRecord rec = launcher.start(port, true, said::add);
    try {
      assertThat(rec.url()).isEqualTo("http://127.0.0.1:" + port);
      assertThat(rec.localHive()).isTrue();
      assertThat(api(rec.url()).healthy()).isTrue();
      assertThat(said).containsExactly("waiting for the queen at " + rec.url()
          + " to answer /health (up to 30 s)");
      assertThat(Json.MAPPER.readValue(pidFile().toFile(), QueenRecord.class)).isEqualTo(rec);
      assertThat(Files.readString(home.resolve("stand-in-args.txt")))
          .isEqualTo("--port " + port + " --bind 127.0.0.1 --local-hive");
      assertThat(launcher.running()).contains(rec);
      assertThat(session(rec.pid())).as("a session of its own, away from the keeper's Ctrl-C")
          .isNotEqualTo(session(ProcessHandle.current().pid()));

      Optional<QueenLauncher.Stopped> stopped = launcher.stop();

      assertThat(stopped).map(QueenLauncher.Stopped::forced).contains(false);
      assertThat(ProcessHandle.of(rec.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    } finally {
      ProcessHandle.of(rec.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }
    assertThat(pidFile()).doesNotExist();
    assertThat(launcher.running()).isEmpty();
  }

  /** The session id of a process, from /proc/PID/stat (field 6, after the parenthesised name). */
  private static String session(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[3];
  }

  private static int freePort() throws Exception {
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return free.getLocalPort();
    }
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
    int port = freePort();

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

package io.rbee.queen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.launch.JvmLauncher;
import io.rbee.testkit.daemons.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loopback is the default; another bind address works but is warned about. */
class BindWarningTest {
  @TempDir Path home;

  @Test
  void loopbackAddressesAreToldFromTheRest() {
    assertThat(Loopback.is("127.0.0.1")).isTrue();
    assertThat(Loopback.is("127.0.0.2")).isTrue();
    assertThat(Loopback.is("::1")).isTrue();
    assertThat(Loopback.is("localhost")).isTrue();
    assertThat(Loopback.is("0.0.0.0")).isFalse();
    assertThat(Loopback.is("10.1.2.3")).isFalse();
    assertThat(Loopback.is("no-such-host.invalid")).isFalse();
  }

  @Test
  void aQueenBoundBeyondLoopbackStartsAndWarnsWithoutShowingTheToken() throws Exception {
    int port = FreePorts.next();
    Path log = home.resolve("queen.log");
    Process queen = JvmLauncher.of(QueenMain.class.getName())
        .arg("--port", Integer.toString(port), "--bind", "0.0.0.0")
        .env("RBEE_HOME", home.toString()).withoutEnv("RBEE_TOKEN").logTo(log).start();
    try {
      await().atMost(Duration.ofSeconds(60))
          .failFast("queen exited", () -> !queen.isAlive())
          .until(() -> JobClient.withoutToken("http://127.0.0.1:" + port).healthy());
      await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(log)
          .contains("warning: --bind 0.0.0.0 is not a loopback address"));
      String token = Files.readString(home.resolve("token")).strip();
      assertThat(Files.readString(log)).contains("has the token (" + home.resolve("token") + ")")
          .doesNotContain(token);
    } finally {
      queen.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}

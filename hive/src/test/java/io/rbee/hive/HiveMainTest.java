package io.rbee.hive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rbee.hive.models.ModelCatalog;
import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.RbeeHome;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.auth.TokenFile;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.launch.JvmLauncher;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.testkit.models.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hive daemon as a real process: startup line, serving, SIGTERM, bad arguments. */
class HiveMainTest {
  private static final Pattern LISTENING =
      Pattern.compile("rbee-hive (\\S+) listening on (http://\\S+)");

  @TempDir Path home;
  private Process hive;

  @AfterEach
  void tearDown() {
    if (hive != null && hive.isAlive()) {
      hive.destroyForcibly();
    }
  }

  private Process start(Path log, String... args) throws Exception {
    return JvmLauncher.of(HiveMain.class.getName()).arg(args)
        .env("RBEE_HOME", home.toString()).withoutEnv(TokenFile.ENV).logTo(log).start();
  }

  private static String awaitListening(Path log) {
    AtomicReference<String> url = new AtomicReference<>();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      Matcher m = LISTENING.matcher(Files.exists(log) ? Files.readString(log) : "");
      if (m.find()) {
        url.set(m.group(2));
      }
      return url.get() != null;
    });
    return url.get();
  }

  @Test
  void onSigtermTheDaemonStopsItsWorkersAndExitsZero() throws Exception {
    Path models = Files.createDirectories(home.resolve("test-models"));
    new ModelCatalog(RbeeHome.hive(home, "hive-b"), "hive-b")
        .add("tiny", "test", TinyModels.tiny(models, 3));
    Path log = home.resolve("hive.log");
    hive = start(log, "--port", "0", "--hive-id", "hive-b");
    String url = awaitListening(log);
    // the hive made the installation's token in its home, as the first daemon of one does
    JobClient client = new JobClient(url, TokenFile.read(TokenFile.path(home)).orElseThrow());
    assertThat(client.healthy()).isTrue();

    AtomicReference<WorkerInfo> worker = new AtomicReference<>();
    Done done = client.run(new Operation.WorkerSpawn("hive-b", "tiny", "cpu"), e -> {
      if (e.event().equals(JobEvent.RESULT)) {
        worker.set(Json.read(e.data(), WorkerInfo.class));
      }
    });
    assertThat(done.status()).as("spawn: %s", done.error()).isEqualTo(JobStatus.SUCCEEDED);
    long workerPid = worker.get().pid();

    hive.destroy(); // SIGTERM

    assertThat(hive.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(hive.exitValue()).isZero();
    await().atMost(Duration.ofSeconds(10))
        .until(() -> !ProcessHandle.of(workerPid).map(ProcessHandle::isAlive).orElse(false));
    assertThat(Files.readString(log)).contains("shutting down");
  }

  @Test
  void aBadArgumentExitsTwoSayingWhatWasWrong() throws Exception {
    Path log = home.resolve("bad.log");
    hive = start(log, "--port", "nope");

    assertThat(hive.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(hive.exitValue()).isEqualTo(2);
    assertThat(Files.readString(log))
        .contains("Invalid value for option '--port': 'nope' is not an int", "Usage: rbee-hive");
  }
}

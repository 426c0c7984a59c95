package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.client.JobClient;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.Narration;
import io.rbee.testkit.daemons.Daemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker belongs to its hive: a hive daemon killed with SIGKILL while its worker is still
 * starting takes the worker with it, and the hive started again sweeps the native library the
 * worker left.
 */
class WorkerOutlivesNoHiveTest {
  private static final Pattern PID = Pattern.compile("runs as pid (\\d+)");

  @TempDir Path home;

  @Test
  void aWorkerWhoseHiveIsKilledWhileItStartsExits() throws Exception {
    Daemon hive = Daemon.hive(home);
    ProcessHandle worker = null;
    try {
      JobClient client = hive.client();
      assertThat(JobRun.of(client, new Operation.ModelDownload(null, "demo")).done().status())
          .isEqualTo(JobStatus.SUCCEEDED);
      Submitted spawn = client.submit(new Operation.WorkerSpawn(null, "demo", "cpu", 1));
      CompletableFuture<Long> pid = new CompletableFuture<>();
      // follows until the worker process exists, then the hive dies under the stream
      var follower = Executors.newVirtualThreadPerTaskExecutor().submit(() ->
          client.follow(spawn.jobId(), 0, e -> {
            if (JobEvent.NARRATION.equals(e.event())) {
              Matcher m = PID.matcher(Json.read(e.data(), Narration.class).human());
              if (m.find()) {
                pid.complete(Long.parseLong(m.group(1)));
              }
            }
          }));
      worker = ProcessHandle.of(pid.get(60, TimeUnit.SECONDS)).orElseThrow();
      // its JVM is starting or loading: no ready worker yet, and the old parent watch had not
      // begun (it began after the server start, ~1.5 s in, and then watched init)
      assertThat(worker.isAlive()).isTrue();

      hive.kill(); // SIGKILL: the hive stops nothing

      assertThat(worker.onExit().get(15, TimeUnit.SECONDS).isAlive())
          .as("worker pid %s exits once its hive is gone", worker.pid()).isFalse();
      follower.cancel(true);
    } finally {
      if (worker != null) {
        worker.destroyForcibly();
      }
      hive.close();
    }

    Path nativeRoot = home.resolve("hives/localhost/worker-native");
    Daemon again = Daemon.hive(home);
    try {
      assertThat(!Files.exists(nativeRoot) || isEmpty(nativeRoot))
          .as("the hive started again swept %s", nativeRoot).isTrue();
    } finally {
      again.close();
    }
  }

  private static boolean isEmpty(Path dir) throws Exception {
    try (var s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }
}

package io.rbee.queen.hives;

import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.server.JobContext;
import io.rbee.queen.ssh.Shell;
import io.rbee.queen.ssh.SshHost;
import io.rbee.queen.ssh.SshInventory;
import io.rbee.queen.ssh.SshSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code HiveStart}, {@code HiveStop} and {@code HiveStatus} of a hive on another machine,
 * driven over SSH. The hive runs detached there ({@code setsid nohup}, stdin from /dev/null,
 * output to its log), so it outlives the SSH session and the queen; its pid is kept in
 * {@code run/hive-<id>.pid} there. No secret is put on a command line: the queen's token
 * travels as a file over SFTP.
 */
final class SshHiveLifecycle {
  static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  static final int STOP_GRACE_SECONDS = 10;

  private final Path home;
  private final SshInventory inventory;
  private final HiveRegistry registry;
  private final Supplier<String> queenUrl;

  /** {@code queenUrl}: where the hives it starts send their heartbeats. */
  SshHiveLifecycle(Path home, SshInventory inventory, HiveRegistry registry,
      Supplier<String> queenUrl) {
    this.home = home;
    this.inventory = inventory;
    this.registry = registry;
    this.queenUrl = queenUrl;
  }

  void start(Operation.HiveStart op, JobContext job) throws Exception {
    SshHost host = inventory.require(op.hiveId());
    String id = host.alias();
    int port = op.port() != null ? op.port() : host.hivePort();
    String url = host.hiveUrl(port);
    job.narrate("hive_start").hiveId(id)
        .human("Starting hive {} on {} ({})", id, host.alias(), url).emit();
    if (JobClient.withoutToken(url).healthy()) {
      registry.register(registry.record(id).filter(r -> r.url().equals(url))
          .orElse(new HiveRecord(id, url, port, -1, null, Instant.now().toString(), true)));
      job.narrate("hive_already_running").hiveId(id)
          .human("Hive {} already answers at {}", id, url).emit();
      return;
    }
    try (SshSession ssh = SshSession.open(host, false, job)) {
      RemoteHome remote = RemoteHome.of(ssh);
      Path classpathFile = ssh.files().getPath(remote.dist(), HiveDistribution.CLASSPATH);
      if (!Files.exists(classpathFile)) {
        throw new OperationException(ErrorKind.HIVE_NOT_INSTALLED, "hive " + id + " is not"
            + " installed in " + remote.dist() + "; run `rbee hive install --hive " + id + "`");
      }
      List<String> cp = new ArrayList<>();
      for (String e : Files.readAllLines(classpathFile)) {
        if (!e.isBlank()) {
          cp.add(remote.dist() + "/" + e.strip());
        }
      }
      copyToken(ssh, remote, job);
      long started = System.nanoTime();
      SshSession.Result r = ssh.exec("launch the hive detached (log: " + remote.log() + ")",
          launchCommand(host, remote, String.join(":", cp), port, queenUrl.get()),
          Duration.ofSeconds(30), true);
      String pidText = r.stdout().strip();
      if (r.exit() == 4) {
        throw new OperationException(ErrorKind.HIVE_RUNNING, "a hive already runs on " + id
            + " (pid " + pidText.replaceAll("\\D", "") + " in " + remote.pidFile() + ") but does"
            + " not answer at " + url + "; stop it with `rbee hive stop --hive " + id + "`");
      }
      if (r.exit() != 0 || !pidText.matches("\\d+")) {
        throw new OperationException(ErrorKind.HIVE_FAILED, "launching hive " + id + " failed"
            + " (exit " + r.exit() + "): " + (r.stdout() + r.stderr()).strip());
      }
      long pid = Long.parseLong(pidText);
      job.narrate("hive_spawned").hiveId(id)
          .human("Hive process started on {} with pid {}; waiting for {}/health", id, pid, url)
          .emit();
      // recorded before it is ready: a start cancelled now leaves a hive `rbee hive stop` finds
      HiveRecord record = new HiveRecord(id, url, port, pid, remote.log(),
          Instant.now().toString(), true);
      registry.register(record);
      try {
        waitReady(ssh, remote, pid, url, job);
      } catch (OperationException e) {
        registry.register(record.stopped());
        throw e;
      }
      long ms = (System.nanoTime() - started) / 1_000_000;
      job.narrate("hive_ready").hiveId(id).durationMs(ms)
          .human("Hive {} is ready at {} (pid {} on {}, {} ms)", id, url, pid, id, ms).emit();
    }
  }

  /** The queen's token, if it has one, as {@code <remote home>/token}, mode 0600. */
  private void copyToken(SshSession ssh, RemoteHome remote, JobContext job) throws IOException {
    Path local = home.resolve("token");
    if (!Files.isRegularFile(local)) {
      return;
    }
    Path target = ssh.files().getPath(remote.token());
    Files.createDirectories(target.getParent());
    if (!Files.exists(target)) {
      Files.createFile(target);
    }
    // restrict before the secret is written, so it is never readable by others
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
    Files.write(target, Files.readAllBytes(local));
    job.narrate("token_copy").hiveId(remote.hiveId())
        .human("Copied the queen's token to {} (mode 0600)", remote.token()).emit();
  }

  private static String launchCommand(SshHost host, RemoteHome remote, String classpath,
      int port, String queenUrl) {
    String h = Shell.quote(remote.path());
    String log = Shell.quote(remote.log());
    String pidFile = Shell.quote(remote.pidFile());
    List<String> java = List.of(host.rbeeJava(), "-Drbee.program=" + HiveLifecycle.HIVE_MAIN,
        "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
        "-Dlogback.configurationFile=" + io.rbee.jobs.launch.JvmLauncher.FILE_LOGGING,
        "-D" + io.rbee.jobs.launch.JvmLauncher.LOG_FILE_PROPERTY + "=" + remote.log(),
        "-Xmx512m", "-cp", classpath, HiveLifecycle.HIVE_MAIN,
        "--port", String.valueOf(port), "--bind", host.hiveBind(), "--hive-id", host.alias(),
        "--queen-url", queenUrl);
    StringBuilder cmd = new StringBuilder(Shell.path(host.rbeeJava())).append(' ');
    for (String w : java.subList(1, java.size())) {
      cmd.append(Shell.quote(w)).append(' ');
    }
    return "mkdir -p " + h + "/logs " + h + "/run && cd " + h + " && "
        + "if [ -f " + pidFile + " ] && kill -0 \"$(cat " + pidFile + ")\" 2>/dev/null; then "
        + "cat " + pidFile + "; exit 4; fi; "
        + "if command -v setsid >/dev/null 2>&1; then S=setsid; else S=; fi; "
        + "RBEE_HOME=" + h + " $S nohup " + cmd + ">> " + log + " 2>&1 < /dev/null & "
        + "echo $! > " + pidFile + "; echo $!";
  }

  private void waitReady(SshSession ssh, RemoteHome remote, long pid, String url, JobContext job)
      throws InterruptedException {
    JobClient client = JobClient.withoutToken(url); // /health needs no token
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    long nextProbe = System.nanoTime();
    while (!client.healthy()) {
      job.throwIfCancelled();
      if (System.nanoTime() >= nextProbe) {
        nextProbe = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        if (ssh.exec("is pid " + pid + " alive", "kill -0 " + pid, Duration.ofSeconds(20), false)
            .exit() != 0) {
          String tail = ssh.exec("tail " + remote.log(), "tail -n 12 " + Shell.quote(remote.log()),
              Duration.ofSeconds(20), true).stdout();
          throw new OperationException(ErrorKind.HIVE_FAILED, "hive " + remote.hiveId()
              + " exited before it was ready (log on " + remote.hiveId() + ": " + remote.log()
              + "):\n" + tail.strip());
        }
      }
      if (System.nanoTime() > deadline) {
        ssh.exec("kill the hive", "kill -KILL " + pid, Duration.ofSeconds(20), true);
        throw new OperationException(ErrorKind.HIVE_TIMEOUT, "hive " + remote.hiveId()
            + " was not healthy at " + url + " within " + READY_TIMEOUT.toSeconds() + " s; see "
            + remote.log() + " on " + remote.hiveId());
      }
      Thread.sleep(100);
    }
  }

  /**
   * Stops the hive's workers (TERM, then KILL after the grace), then the hive itself the same
   * way, in one remote script whose lines are narrated.
   */
  void stop(Operation.HiveStop op, JobContext job) {
    SshHost host = inventory.require(op.hiveId());
    String id = host.alias();
    List<Long> workers = new ArrayList<>();
    HiveConnection hive = registry.record(id).isPresent() ? registry.require(id) : null;
    if (hive != null && hive.healthy()) {
      for (WorkerInfo w : hive.workers()) {
        if (w.pid() != null && w.exitCode() == null) {
          workers.add(w.pid());
        }
      }
    }
    job.narrate("hive_stop").hiveId(id)
        .human("Stopping hive {}: its {} worker(s) first, then the hive (TERM, KILL after {} s)",
            id, workers.size(), STOP_GRACE_SECONDS).emit();
    try (SshSession ssh = SshSession.open(host, false, job)) {
      RemoteHome remote = RemoteHome.of(ssh);
      SshSession.Result r = ssh.exec("stop the workers, then the hive",
          stopScript(remote, workers), Duration.ofSeconds(4L * STOP_GRACE_SECONDS + 20), true);
      if (r.exit() == 3) {
        job.narrate("hive_not_running").hiveId(id).human("Hive {} is not running", id).emit();
      } else if (r.exit() != 0) {
        throw new OperationException(ErrorKind.SSH_FAILED, "stopping hive " + id + " failed"
            + " (exit " + r.exit() + "): " + (r.stdout() + r.stderr()).strip());
      } else {
        job.narrate("hive_stopped").hiveId(id).human("Hive {} stopped", id).emit();
      }
    }
    registry.record(id).ifPresent(r -> registry.register(r.stopped()));
  }

  /**
   * TERMs the workers together, waits up to the grace for all of them, KILLs what is left; then
   * the same for the hive of the pid file, after checking that pid is still a hive. Exit 3: the
   * hive was not running.
   */
  private static String stopScript(RemoteHome remote, List<Long> workers) {
    String pidFile = Shell.quote(remote.pidFile());
    int ticks = STOP_GRACE_SECONDS * 10;
    StringBuilder s = new StringBuilder();
    s.append("stop() { what=$1; shift; live=; ")
        .append("for p in \"$@\"; do kill -TERM $p 2>/dev/null && live=\"$live $p\"; done; i=0; ")
        .append("while [ -n \"$live\" ] && [ $i -lt ").append(ticks).append(" ]; do ")
        .append("sleep 0.1; i=$((i+1)); left=; ")
        .append("for p in $live; do if kill -0 $p 2>/dev/null; then left=\"$left $p\"; ")
        .append("else echo \"$what $p stopped\"; fi; done; live=$left; done; ")
        .append("for p in $live; do echo \"$what $p did not stop within ")
        .append(STOP_GRACE_SECONDS).append(" s; killing it\"; kill -KILL $p; done; }; ");
    if (!workers.isEmpty()) {
      s.append("stop worker");
      workers.forEach(w -> s.append(' ').append(w));
      s.append("; ");
    }
    s.append("[ -f ").append(pidFile).append(" ] || exit 3; pid=$(cat ").append(pidFile)
        .append("); ")
        .append("if ! kill -0 \"$pid\" 2>/dev/null; then rm -f ").append(pidFile)
        .append("; exit 3; fi; ")
        // the pid file may outlive its process: never signal a pid that is not this hive now
        .append("case \"$(ps -o args= -p $pid)\" in *rbee.program=").append(HiveLifecycle.HIVE_MAIN)
        .append("*) ;; *) echo \"pid $pid is not an rbee hive any more\"; rm -f ").append(pidFile)
        .append("; exit 3;; esac; ")
        .append("stop hive $pid; rm -f ").append(pidFile);
    return s.toString();
  }

  /** Whether the hive's recorded process runs there, asked over SSH. */
  boolean remoteAlive(SshHost host, JobContext job) {
    try (SshSession ssh = SshSession.open(host, false, job)) {
      RemoteHome remote = RemoteHome.of(ssh);
      String f = Shell.quote(remote.pidFile());
      SshSession.Result r = ssh.exec("is the hive's process alive",
          "[ -f " + f + " ] && kill -0 \"$(cat " + f + ")\" 2>/dev/null", Duration.ofSeconds(20),
          false);
      boolean installed = Files.exists(ssh.files().getPath(remote.dist(),
          HiveDistribution.CLASSPATH));
      job.narrate("hive_remote").hiveId(host.alias())
          .human("On {}: hive {}, distribution {} in {}", host.alias(),
              r.exit() == 0 ? "process alive" : "process not running",
              installed ? "installed" : "not installed", remote.dist()).emit();
      return r.exit() == 0;
    }
  }
}

package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.jobs.HiveInfo;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.WorkerInfo;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.launch.JvmLauncher;
import io.rbee.narration.Json;
import io.rbee.testkit.daemons.Daemon;
import io.rbee.testkit.daemons.FreePorts;
import io.rbee.testkit.ssh.TestSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hive on "another machine" reached through a real SSH server (embedded Apache MINA SSHD on
 * 127.0.0.1 with key auth, exec and SFTP), driven by a real queen process: install, start
 * (bound to 127.0.0.2), status, a hive operation through the queen, stop, uninstall; and the
 * host key rules.
 */
class SshHiveTest {
  static final String ALIAS = "blue";
  static final String TOKEN = "rbee_plantedSecretForTheSshTest0123456789abc";

  @TempDir Path tmp;
  Path queenHome;
  Path remoteHome;
  Path knownHosts;
  TestSshServer ssh;
  Daemon queen;
  JobClient client;
  int hivePort;

  @BeforeEach
  void machine() throws Exception {
    queenHome = Files.createDirectories(tmp.resolve("queen-home"));
    remoteHome = tmp.resolve("blue-home");
    ssh = TestSshServer.start(tmp.resolve("ssh"));
    knownHosts = tmp.resolve("ssh").resolve("known_hosts");
    hivePort = FreePorts.next();
    Files.writeString(tmp.resolve("ssh").resolve("config"), hostBlock() + "\n");
    writeHivesConf(JvmLauncher.javaBinary());
    Path token = queenHome.resolve("token");
    Files.writeString(token, TOKEN);
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    queen = Daemon.queen(queenHome, Map.of("RBEE_SSH_CONFIG",
        tmp.resolve("ssh").resolve("config").toString()));
    client = queen.client();
  }

  private void writeHivesConf(String java) throws Exception {
    Files.writeString(queenHome.resolve("hives.conf"), String.join("\n",
        "Host " + ALIAS,
        "  HiveBind 127.0.0.2",
        "  HivePort " + hivePort,
        "  RbeeHome " + remoteHome,
        "  RbeeJava " + java,
        "Host green",
        "  HostName 127.0.0.3",
        "  HivePort " + hivePort,
        ""));
  }

  @AfterEach
  void tearDown() {
    if (queen != null) {
      queen.close();
    }
    // the remote hive is detached from everything this test started: find it by its home
    List<ProcessHandle> left = new java.util.ArrayList<>(of(remoteHome));
    left.addAll(of(queenHome));
    left.forEach(ProcessHandle::destroyForcibly);
    left.forEach(p -> p.onExit().join());
    ssh.close();
    assertThat(left).as("processes of %s or %s left running", remoteHome, queenHome).isEmpty();
  }

  /** Live processes whose command line names {@code home} (a log file there, at least). */
  private static List<ProcessHandle> of(Path home) {
    return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().commandLine().orElse("").contains(home.toString()))
        .toList();
  }

  @Test
  void installStartUseStopUninstallThroughTheQueen() throws Exception {
    Keeper.Result refused = rbee("hive", "install", "--hive", ALIAS);
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
    assertThat(refused.lastErrLine()).contains("error: the host key of " + ALIAS,
        ssh.hostKeyFingerprint(), "--accept-host-key");
    assertThat(remoteHome).doesNotExist();

    JobRun install = JobRun.of(client, new Operation.HiveInstall(ALIAS, true));
    assertThat(install.done().status()).as(install.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(install.actions("queen"))
        .contains("ssh_connect", "ssh_host_key", "ssh_login", "ssh_exec", "ssh_stdout", "java_ok",
            "dist_plan", "dist_copy", "dist_done");
    JsonNode first = result(install);
    assertThat(first.get("files_copied").asInt()).isPositive()
        .isEqualTo(first.get("files").asInt());
    assertThat(Files.readString(knownHosts)).contains("[127.0.0.1]:" + ssh.port());
    assertThat(remoteHome.resolve("dist").resolve("manifest.sha256")).exists();

    JobRun again = JobRun.of(client, new Operation.HiveInstall(ALIAS, false));
    assertThat(again.done().status()).as(again.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(result(again).get("files_copied").asInt()).isZero();
    assertThat(result(again).get("copied_bytes").asLong()).isZero();

    JobRun start = JobRun.of(client, new Operation.HiveStart(ALIAS, null));
    assertThat(start.done().status()).as(start.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(start.actions("queen")).contains("token_copy", "hive_spawned", "hive_ready");
    String url = "http://127.0.0.2:" + hivePort;
    HiveInfo started = Json.read(lastResultData(start), HiveInfo.class);
    assertThat(started.state()).isEqualTo("running");
    assertThat(started.url()).isEqualTo(url);
    long pid = started.pid();
    // the SSH session of the start is closed and the hive still answers, detached from the
    // server's command processes
    assertThat(JobClient.withoutToken(url).healthy()).isTrue();
    assertThat(ProcessHandle.current().descendants().map(ProcessHandle::pid)).doesNotContain(pid);
    Path remoteToken = remoteHome.resolve("token");
    assertThat(Files.readString(remoteToken)).isEqualTo(TOKEN);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(remoteToken)))
        .isEqualTo("rw-------");
    assertThat(commandLine(pid)).contains("--bind 127.0.0.2", "--hive-id " + ALIAS).doesNotContain(TOKEN);
    assertThat(start.transcript()).doesNotContain(TOKEN);

    HiveInfo status = JobRunResults.hiveInfo(client, ALIAS);
    assertThat(status.state()).isEqualTo("running");
    assertThat(status.devices()).isNotEmpty();

    JobRun second = JobRun.of(client, new Operation.HiveStart(ALIAS, FreePorts.next()));
    assertThat(second.done().errorKind()).as(second.transcript()).isEqualTo("hive_running");
    assertThat(second.done().error()).contains("pid " + pid, "rbee hive stop --hive " + ALIAS);
    JobRun early = JobRun.of(client, new Operation.HiveUninstall(ALIAS, true));
    assertThat(early.done().errorKind()).as(early.transcript()).isEqualTo("hive_running");
    assertThat(remoteHome.resolve("dist")).exists();

    JobRun check = JobRun.of(client, new Operation.HiveCheck(ALIAS));
    assertThat(check.done().status()).as(check.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(check.actions("hive")).contains("hive_check_done");
    JobRun models = JobRun.of(client, new Operation.ModelList(ALIAS));
    assertThat(models.done().status()).as(models.transcript()).isEqualTo(JobStatus.SUCCEEDED);

    JobRun download = JobRun.of(client, new Operation.ModelDownload(ALIAS, "demo"));
    assertThat(download.done().status()).as(download.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    JobRun spawn = JobRun.of(client, new Operation.WorkerSpawn(ALIAS, "demo", "cpu", 1));
    assertThat(spawn.done().status()).as(spawn.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    long workerPid = Json.read(lastResultData(spawn), WorkerInfo.class).pid();
    assertThat(ProcessHandle.of(workerPid)).isPresent();

    Keeper.Result listed = rbee("hive", "list");
    assertThat(listed.exitCode()).as(listed.toString()).isZero();
    assertThat(listed.stdout()).containsPattern(ALIAS + "\\s+daemon\\s+running\\s+" + url)
        .containsPattern("green\\s+daemon\\s+stopped");

    JobRun list = JobRun.of(client, new Operation.HiveList());
    assertThat(list.done().status()).as(list.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    List<HiveInfo> hives = Json.MAPPER.readValue(lastResultData(list),
        new com.fasterxml.jackson.core.type.TypeReference<List<HiveInfo>>() {});
    assertThat(hives).extracting(HiveInfo::hiveId, HiveInfo::state, HiveInfo::url)
        .contains(org.assertj.core.groups.Tuple.tuple(ALIAS, "running", url),
            org.assertj.core.groups.Tuple.tuple("green", "stopped",
                "http://127.0.0.3:" + hivePort));

    JobRun stop = JobRun.of(client, new Operation.HiveStop(ALIAS));
    assertThat(stop.done().status()).as(stop.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(stop.actions("queen")).contains("hive_stop", "ssh_stdout", "hive_stopped");
    assertThat(stop.transcript()).contains("worker " + workerPid + " stopped")
        .contains("hive " + pid + " stopped");
    Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> !alive(pid) && !alive(workerPid));
    assertThat(JobClient.withoutToken(url).healthy()).isFalse();
    assertThat(of(remoteHome)).isEmpty();
    assertThat(JobRunResults.hiveInfo(client, ALIAS).state()).isEqualTo("stopped");

    JobRun uninstall = JobRun.of(client, new Operation.HiveUninstall(ALIAS, true));
    assertThat(uninstall.done().status()).as(uninstall.transcript())
        .isEqualTo(JobStatus.SUCCEEDED);
    assertThat(remoteHome).doesNotExist();
  }

  @Test
  void stoppingTheQueenStopsTheHiveItStartedOverSsh() throws Exception {
    Files.writeString(knownHosts, ssh.knownHostsLine() + "\n");
    JobRun install = JobRun.of(client, new Operation.HiveInstall(ALIAS, false));
    assertThat(install.done().status()).as(install.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    JobRun start = JobRun.of(client, new Operation.HiveStart(ALIAS, null));
    assertThat(start.done().status()).as(start.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    long pid = Json.read(lastResultData(start), HiveInfo.class).pid();

    queen.process().destroy(); // SIGTERM, as `rbee queen stop` sends

    assertThat(queen.process().waitFor(20, java.util.concurrent.TimeUnit.SECONDS))
        .as(queen.logText()).isTrue();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !alive(pid));
    assertThat(queen.logText()).contains("hive_stopped");
  }

  @Test
  void aHiveBehindAJumpHostIsReachedThroughProxyJump() throws Exception {
    try (TestSshServer bastion = TestSshServer.start(tmp.resolve("bastion"))) {
      Files.writeString(tmp.resolve("ssh").resolve("config"), String.join("\n",
          hostBlock(),
          "  ProxyJump bastion",
          "Host bastion",
          "  HostName 127.0.0.1",
          "  Port " + bastion.port(),
          "  User " + System.getProperty("user.name"),
          "  IdentityFile " + bastion.clientKey(),
          ""));
      Files.writeString(knownHosts, ssh.knownHostsLine() + "\n" + bastion.knownHostsLine() + "\n");

      JobRun run = JobRun.of(client, new Operation.HiveStatus(ALIAS));

      assertThat(run.done().status()).as(run.transcript()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(run.transcript()).contains("via bastion", "process not running",
          "not installed");
      assertThat(bastion.sessions()).as("sessions through the jump host").isPositive();
    }
  }

  @Test
  void aChangedHostKeyFailsLoudlyEvenWithTheAcceptFlag() throws Exception {
    Files.writeString(knownHosts, ssh.knownHostsLine() + "\n");
    String before = Files.readString(knownHosts);
    ssh.changeHostKey();

    JobRun run = JobRun.of(client, new Operation.HiveInstall(ALIAS, true));

    assertThat(run.done().errorKind()).as(run.transcript()).isEqualTo("host_key_mismatch");
    assertThat(run.done().error()).contains("HAS CHANGED", ssh.hostKeyFingerprint(),
        "ssh-keygen -R");
    assertThat(Files.readString(knownHosts)).isEqualTo(before);
    assertThat(remoteHome).doesNotExist();
  }

  @Test
  void aMissingJavaIsNamedWithHowToInstallOne() throws Exception {
    Files.writeString(knownHosts, ssh.knownHostsLine() + "\n");
    writeHivesConf(tmp.resolve("no-such-jdk/bin/java").toString());

    JobRun run = JobRun.of(client, new Operation.HiveInstall(ALIAS, false));

    assertThat(run.done().errorKind()).as(run.transcript()).isEqualTo("java_missing");
    assertThat(run.done().error()).contains("no-such-jdk", "RbeeJava", "openjdk-21");
    assertThat(remoteHome.resolve("dist")).doesNotExist();
  }

  @Test
  void startBeforeInstallSaysToInstall() throws Exception {
    Files.writeString(knownHosts, ssh.knownHostsLine() + "\n");

    JobRun run = JobRun.of(client, new Operation.HiveStart(ALIAS, null));

    assertThat(run.done().errorKind()).as(run.transcript()).isEqualTo("hive_not_installed");
    assertThat(run.done().error()).contains("rbee hive install --hive " + ALIAS);
  }

  private Keeper.Result rbee(String... args) throws Exception {
    return Keeper.run(queenHome, Map.of("RBEE_QUEEN_URL", queen.url(), "RBEE_NO_AUTOSTART", "1",
        "NO_COLOR", "1"), args);
  }

  /** The whole command line (ProcessHandle's stops at 4096 bytes, inside the classpath). */
  private static String commandLine(long pid) throws Exception {
    return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")),
        java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ');
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static JsonNode result(JobRun run) throws Exception {
    return Json.MAPPER.readTree(lastResultData(run));
  }

  private static String lastResultData(JobRun run) {
    return run.events().stream().filter(e -> "result".equals(e.event())).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no result in:\n" + run.transcript())).data();
  }

  /** The ssh config block of the hive's alias: the test server, its key and known_hosts. */
  private String hostBlock() {
    return String.join("\n",
        "Host " + ALIAS,
        "  HostName 127.0.0.1",
        "  Port " + ssh.port(),
        "  User " + System.getProperty("user.name"),
        "  IdentityFile " + ssh.clientKey(),
        "  UserKnownHostsFile " + knownHosts);
  }
}

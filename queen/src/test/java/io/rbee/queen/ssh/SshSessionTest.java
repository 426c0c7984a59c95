package io.rbee.queen.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.OperationException;
import io.rbee.narration.Narration;
import io.rbee.testkit.jobs.TestJob;
import io.rbee.testkit.ssh.TestSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One session against an embedded SSH server: the host key rules of known_hosts, and remote
 * commands whose output is narrated line by line.
 */
class SshSessionTest {
  @TempDir Path dir;
  TestSshServer server;
  Path knownHosts;
  SshHost host;

  @BeforeEach
  void start() throws Exception {
    server = TestSshServer.start(dir.resolve("server"));
    knownHosts = dir.resolve("known_hosts");
    Path config = dir.resolve("config");
    Files.writeString(config, String.join("\n", "Host box", "  HostName 127.0.0.1",
        "  Port " + server.port(), "  IdentityFile " + server.clientKey(),
        "  UserKnownHostsFile " + knownHosts, ""));
    host = new SshInventory(config, dir.resolve("hives.conf")).require("box");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void anUnknownHostIsRefusedWithItsFingerprintThenAcceptedAndRemembered() throws Exception {
    assertThatThrownBy(() -> SshSession.open(host, false, TestJob.open()))
        .isInstanceOfSatisfying(OperationException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.HOST_KEY_UNKNOWN);
          assertThat(e.getMessage()).contains("ED25519 key " + server.hostKeyFingerprint(),
              "--accept-host-key", knownHosts.toString());
        });
    assertThat(knownHosts).doesNotExist();

    TestJob accepting = TestJob.open();
    SshSession.open(host, true, accepting).close();
    assertThat(accepting.narrations("ssh_host_key")).singleElement()
        .extracting(Narration::human).asString().contains("new: added to");
    assertThat(Files.readString(knownHosts)).contains("[127.0.0.1]:" + server.port());

    TestJob later = TestJob.open();
    SshSession.open(host, false, later).close();
    assertThat(later.narrations("ssh_host_key")).singleElement()
        .extracting(Narration::human).asString().contains("matches");
  }

  @Test
  void aKeyOfAnotherTypeOnFileIsNoChangedKey() throws Exception {
    KeyPair ecdsa = KeyUtils.generateKeyPair("ecdsa-sha2-nistp256", 256);
    String ecdsaLine = "[127.0.0.1]:" + server.port() + " " + PublicKeyEntry.toString(ecdsa.getPublic());
    Files.writeString(knownHosts, ecdsaLine + "\n");

    assertThatThrownBy(() -> SshSession.open(host, false, TestJob.open()))
        .isInstanceOfSatisfying(OperationException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.HOST_KEY_UNKNOWN);
          assertThat(e.getMessage()).contains("only a key of another type", "ECDSA");
        });
    SshSession.open(host, true, TestJob.open()).close();
    SshSession.open(host, false, TestJob.open()).close();

    assertThat(Files.readString(knownHosts)).contains(ecdsaLine, server.knownHostsLine());
  }

  @Test
  void aChangedKeyIsRefusedWhateverTheFlagSays() throws Exception {
    Files.writeString(knownHosts, server.knownHostsLine() + "\n");
    String old = server.hostKeyFingerprint();
    server.changeHostKey();

    assertThatThrownBy(() -> SshSession.open(host, true, TestJob.open()))
        .isInstanceOfSatisfying(OperationException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.HOST_KEY_MISMATCH);
          assertThat(e.getMessage()).contains(server.hostKeyFingerprint(), old, "ssh-keygen -R");
        });
    assertThat(Files.readString(knownHosts)).doesNotContain(server.knownHostsLine());
  }

  @Test
  void aRemoteCommandsOutputIsNarratedLineByLineAndKept() throws Exception {
    Files.writeString(knownHosts, server.knownHostsLine() + "\n");
    TestJob job = TestJob.open();
    try (SshSession ssh = SshSession.open(host, false, job)) {
      SshSession.Result r = ssh.exec("greet", "echo one; echo two; echo oops >&2; exit 7",
          Duration.ofSeconds(20), true);

      assertThat(r.exit()).isEqualTo(7);
      assertThat(r.stdout()).isEqualTo("one\ntwo\n");
      assertThat(r.stderr()).isEqualTo("oops\n");
      assertThat(job.narrations("ssh_stdout")).extracting(Narration::human)
          .containsExactly("one", "two");
      assertThat(job.narrations("ssh_stderr")).extracting(Narration::human)
          .containsExactly("oops");
      assertThat(job.narrations("ssh_exec")).extracting(Narration::human)
          .containsExactly("On box: greet");
    }
  }

  /** Keys as OpenSSH writes them (ed25519 needs BouncyCastle in MINA 2.20), when it is here. */
  @ParameterizedTest
  @ValueSource(strings = {"ed25519", "ecdsa", "rsa"})
  void keysWrittenByOpenSshLogIn(String type) throws Exception {
    Path sshKeygen = Path.of("/usr/bin/ssh-keygen");
    Assumptions.assumeTrue(Files.isExecutable(sshKeygen), "no ssh-keygen here");
    Path key = dir.resolve("id_" + type);
    Process p = new ProcessBuilder(sshKeygen.toString(), "-q", "-t", type, "-N", "", "-f",
        key.toString()).redirectErrorStream(true).start();
    assertThat(p.waitFor()).as(new String(p.getInputStream().readAllBytes())).isZero();
    server.authorize(Path.of(key + ".pub"));
    Files.writeString(knownHosts, server.knownHostsLine() + "\n");
    Path config = dir.resolve("config-" + type);
    Files.writeString(config, String.join("\n", "Host box", "  HostName 127.0.0.1",
        "  Port " + server.port(), "  IdentityFile " + key, "  UserKnownHostsFile " + knownHosts,
        ""));
    SshHost openSsh = new SshInventory(config, dir.resolve("hives.conf")).require("box");

    try (SshSession ssh = SshSession.open(openSsh, false, TestJob.open())) {
      assertThat(ssh.exec("echo", "echo ok", Duration.ofSeconds(20), false).stdout())
          .isEqualTo("ok\n");
    }
  }

  @Test
  void aKeyTheServerDoesNotAcceptFailsTheLoginNamingTheKeys() throws Exception {
    Files.writeString(knownHosts, server.knownHostsLine() + "\n");
    try (TestSshServer other = TestSshServer.start(dir.resolve("other"))) {
      Path config = dir.resolve("config2");
      Files.writeString(config, String.join("\n", "Host box", "  HostName 127.0.0.1",
          "  Port " + server.port(), "  IdentityFile " + other.clientKey(),
          "  UserKnownHostsFile " + knownHosts, ""));
      SshHost wrongKey = new SshInventory(config, dir.resolve("hives.conf")).require("box");

      assertThatThrownBy(() -> SshSession.open(wrongKey, false, TestJob.open()))
          .isInstanceOfSatisfying(OperationException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.SSH_FAILED);
            assertThat(e.getMessage()).contains("cannot log in to box", other.clientKey().toString());
          });
    }
  }
}

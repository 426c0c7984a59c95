package io.rbee.queen.hives;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rbee.jobs.OperationException;
import io.rbee.queen.ssh.SshInventory;
import io.rbee.queen.ssh.SshSession;
import io.rbee.testkit.jobs.TestJob;
import io.rbee.testkit.ssh.TestSshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote RBEE_HOME: {@code ~/} is the login's $HOME there, a relative path is refused. */
class RemoteHomeTest {
  @TempDir Path dir;
  TestSshServer server;

  @BeforeEach
  void start() throws Exception {
    server = TestSshServer.start(dir.resolve("server"));
    Files.writeString(dir.resolve("known_hosts"), server.knownHostsLine() + "\n");
    Files.writeString(dir.resolve("config"), String.join("\n", "Host box",
        "  HostName 127.0.0.1", "  Port " + server.port(), "  IdentityFile " + server.clientKey(),
        "  UserKnownHostsFile " + dir.resolve("known_hosts"), ""));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private RemoteHome home(String rbeeHome) throws Exception {
    Files.writeString(dir.resolve("hives.conf"), "Host box\n  RbeeHome " + rbeeHome + "\n");
    SshInventory inventory = new SshInventory(dir.resolve("config"), dir.resolve("hives.conf"));
    try (SshSession ssh = SshSession.open(inventory.require("box"), false, TestJob.open())) {
      return RemoteHome.of(ssh);
    }
  }

  @Test
  void aTildeIsTheLoginsHomeThere() throws Exception {
    // the embedded server runs commands with this process's environment
    assertThat(home("~/.rbee-x/").path()).isEqualTo(System.getenv("HOME") + "/.rbee-x");
    assertThat(home("/srv/rbee").dist()).isEqualTo("/srv/rbee/dist");
    assertThat(home("/srv/rbee").pidFile()).isEqualTo("/srv/rbee/run/hive-box.pid");
  }

  @Test
  void aRelativeHomeIsRefused() {
    assertThatThrownBy(() -> home("rbee"))
        .isInstanceOf(OperationException.class).hasMessageContaining("absolute path");
  }
}

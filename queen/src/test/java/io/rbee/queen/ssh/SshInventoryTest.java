package io.rbee.queen.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.OperationException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host aliases from an ssh config and hives.conf, parsed by MINA, with rbee's defaults. */
class SshInventoryTest {
  @TempDir Path dir;
  Path sshConfig;
  Path hivesConf;
  SshInventory inventory;

  @BeforeEach
  void files() {
    sshConfig = dir.resolve("config");
    hivesConf = dir.resolve("hives.conf");
    inventory = new SshInventory(sshConfig, hivesConf);
  }

  @Test
  void noFilesAtAllMeansNoHivesAndNoError() {
    assertThat(inventory.aliases()).isEmpty();
    assertThat(inventory.find("blue")).isEmpty();
    assertThat(inventory.find("localhost")).isEmpty();
  }

  @Test
  void sshKeysComeFromTheUserConfigAndRbeeKeysFromHivesConf() throws Exception {
    Files.writeString(sshConfig, """
        Host *
          User everyone
        Host blue green
          HostName 10.0.0.7
          Port 2222
          IdentityFile /keys/id_blue
          ProxyJump bastion
          UserKnownHostsFile /keys/known
        """);
    Files.writeString(hivesConf, """
        Host blue
          HivePort 9100
          HiveBind 10.0.0.8
          RbeeHome /srv/rbee
          rbeejava /opt/jdk/bin/java
        Host red
          HiveBind 10.0.0.9
        Host localhost
        Host gpu-*
          HivePort 9200
        """);

    assertThat(inventory.aliases()).containsExactly("blue", "red");
    SshHost blue = inventory.find("blue").orElseThrow();
    assertThat(blue.hostName()).isEqualTo("10.0.0.7");
    assertThat(blue.port()).isEqualTo(2222);
    assertThat(blue.user()).isEqualTo("everyone");
    assertThat(blue.identities()).containsExactly("/keys/id_blue");
    assertThat(blue.proxyJump()).isEqualTo("bastion");
    assertThat(blue.knownHosts()).isEqualTo(Path.of("/keys/known"));
    assertThat(blue.hivePort()).isEqualTo(9100);
    assertThat(blue.hiveBind()).isEqualTo("10.0.0.8");
    assertThat(blue.rbeeHome()).isEqualTo("/srv/rbee");
    assertThat(blue.rbeeJava()).isEqualTo("/opt/jdk/bin/java");
    assertThat(blue.hiveUrl(blue.hivePort())).isEqualTo("http://10.0.0.8:9100");
    assertThat(blue.target()).isEqualTo("everyone@10.0.0.7:2222");
  }

  @Test
  void defaultsFollowSshAndRbee() throws Exception {
    Files.writeString(hivesConf, "Host red\n  HostName 192.168.1.5\n");

    SshHost red = inventory.find("red").orElseThrow();
    assertThat(red.port()).isEqualTo(22);
    assertThat(red.user()).isEqualTo(System.getProperty("user.name"));
    assertThat(red.hiveBind()).isEqualTo("192.168.1.5");
    assertThat(red.hivePort()).isEqualTo(SshInventory.DEFAULT_HIVE_PORT);
    assertThat(red.rbeeHome()).isEqualTo("~/.rbee");
    assertThat(red.rbeeJava()).isEqualTo("java");
    assertThat(red.knownHosts())
        .isEqualTo(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
    assertThat(red.proxyJump()).isNull();
  }

  @Test
  void anAliasOnlyInTheUserConfigCanBeNamedButIsNotListed() throws Exception {
    Files.writeString(sshConfig, "Host builder\n  HostName 10.1.1.1\n");

    assertThat(inventory.aliases()).isEmpty();
    assertThat(inventory.find("builder")).hasValueSatisfying(h ->
        assertThat(h.hostName()).isEqualTo("10.1.1.1"));
  }

  @Test
  void aHostOnlyMatchedByAWildcardIsNoHive() throws Exception {
    Files.writeString(hivesConf, "Host gpu-*\n  HivePort 9200\n");

    assertThat(inventory.find("gpu-1")).isEmpty();
    assertThatThrownBy(() -> inventory.require("gpu-1"))
        .isInstanceOfSatisfying(OperationException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.HIVE_NOT_FOUND);
          assertThat(e.getMessage()).contains("no Host gpu-1", sshConfig.toString(),
              hivesConf.toString());
        });
  }

  @Test
  void theHiveAddressIsAnIpAddressSinceDaemonsRefuseDnsNamesInHost() throws Exception {
    Files.writeString(hivesConf, """
        Host named
          HostName localhost
        Host everywhere
          HostName 10.0.0.1
          HiveBind 0.0.0.0
        """);

    assertThat(inventory.find("named").orElseThrow().hiveBind()).isEqualTo("127.0.0.1");
    assertThatThrownBy(() -> inventory.find("everywhere"))
        .isInstanceOfSatisfying(OperationException.class, e ->
            assertThat(e.getMessage()).contains("Host everywhere", "wildcard 0.0.0.0"));
  }

  @Test
  void aBadHivePortNamesTheAliasAndTheValue() throws Exception {
    Files.writeString(hivesConf, "Host blue\n  HivePort 70000\n");

    assertThatThrownBy(() -> inventory.find("blue"))
        .isInstanceOfSatisfying(OperationException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.SSH_FAILED);
          assertThat(e.getMessage()).contains("Host blue", "HivePort", "70000");
        });
  }
}

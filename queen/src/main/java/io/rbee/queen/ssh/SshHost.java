package io.rbee.queen.ssh;

import java.nio.file.Path;
import java.util.List;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;

/**
 * One SSH host alias, resolved from the inventory: how to reach the machine (the
 * {@code ssh_config} keys) and how rbee runs a hive there (the rbee keys of
 * {@code hives.conf}).
 *
 * @param alias the {@code Host} alias, which is also the hive's id
 * @param hostName the machine's address ({@code HostName}, else the alias)
 * @param port the SSH port ({@code Port}, else 22)
 * @param user the login ({@code User}, else this process's user)
 * @param identities private key files to try ({@code IdentityFile}, else the default
 *     {@code ~/.ssh/id_*} that exist)
 * @param proxyJump {@code ProxyJump}, or null
 * @param knownHosts the known_hosts file ({@code UserKnownHostsFile}, else
 *     {@code ~/.ssh/known_hosts})
 * @param hivePort {@code HivePort}, else 9000
 * @param hiveBind the IP address the hive listens on and the queen reaches it by
 *     ({@code HiveBind}, else {@code hostName}, resolved here: daemons refuse a {@code Host}
 *     header that is a DNS name)
 * @param rbeeHome the remote {@code RBEE_HOME} ({@code RbeeHome}, else {@code ~/.rbee}); a
 *     leading {@code ~/} is the login's home
 * @param rbeeJava the remote Java binary ({@code RbeeJava}, else {@code java} on the login's
 *     PATH)
 * @param entry MINA's resolved entry, what the client connects with
 * @param resolver both files as MINA's resolver, for the hosts a {@code ProxyJump} names
 */
public record SshHost(String alias, String hostName, int port, String user,
    List<String> identities, String proxyJump, Path knownHosts, int hivePort, String hiveBind,
    String rbeeHome, String rbeeJava, HostConfigEntry entry, HostConfigEntryResolver resolver) {

  /** {@code user@host:port}, for messages. */
  public String target() {
    return user + "@" + hostName + ":" + port;
  }

  /** Where the hive answers once started: {@code http://<HiveBind>:<HivePort>}. */
  public String hiveUrl(int port) {
    String host = hiveBind.contains(":") ? "[" + hiveBind + "]" : hiveBind;
    return "http://" + host + ":" + port;
  }
}

package io.rbee.queen.ssh;

import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.OperationException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;

/** Turns MINA's resolved {@link HostConfigEntry} into an {@link SshHost}, applying defaults. */
final class SshHosts {
  private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");

  private SshHosts() {}

  static SshHost of(String alias, HostConfigEntry entry, HostConfigEntryResolver resolver) {
    String hostName = blankToNull(entry.getHostName());
    if (hostName == null) {
      hostName = alias;
      entry.setHostName(alias);
    }
    int port = entry.getPort() > 0 ? entry.getPort() : 22;
    entry.setPort(port);
    String user = blankToNull(entry.getUsername());
    if (user == null) {
      user = System.getProperty("user.name");
      entry.setUsername(user);
    }
    Path home = Path.of(System.getProperty("user.home"));
    List<String> identities = new ArrayList<>();
    for (String id : entry.getIdentities()) {
      identities.add(expand(id, home).toString());
    }
    if (identities.isEmpty()) {
      for (String name : DEFAULT_KEYS) {
        Path p = home.resolve(".ssh").resolve(name);
        if (Files.isRegularFile(p)) {
          identities.add(p.toString());
        }
      }
    }
    entry.setIdentities(identities);
    String knownHosts = first(entry.getProperty("UserKnownHostsFile"));
    Path known = knownHosts != null ? expand(knownHosts, home)
        : home.resolve(".ssh").resolve("known_hosts");
    int hivePort = port(alias, entry.getProperty(SshInventory.HIVE_PORT));
    String bind = address(alias,
        Objects.requireNonNullElse(blankToNull(first(entry.getProperty(SshInventory.HIVE_BIND))),
            hostName));
    String rbeeHome = blankToNull(entry.getProperty(SshInventory.RBEE_HOME));
    String java = blankToNull(entry.getProperty(SshInventory.RBEE_JAVA));
    return new SshHost(alias, hostName, port, user, List.copyOf(identities),
        blankToNull(entry.getProxyJump()), known, hivePort, bind,
        rbeeHome != null ? rbeeHome : SshInventory.DEFAULT_RBEE_HOME,
        java != null ? java : "java", entry, resolver);
  }

  /**
   * The IP address the hive binds and the queen reaches it by: a name is resolved here, since a
   * daemon refuses requests whose {@code Host} is a DNS name (DNS rebinding guard); a wildcard
   * address is refused, as the queen could not reach the hive by it.
   */
  private static String address(String alias, String name) {
    InetAddress a;
    try {
      a = InetAddress.getByName(name);
    } catch (UnknownHostException e) {
      throw new OperationException(ErrorKind.SSH_FAILED, "Host " + alias + ": cannot resolve \""
          + name + "\" (" + SshInventory.HIVE_BIND + ", else HostName) to an address here; set "
          + SshInventory.HIVE_BIND + " to the machine's IP address");
    }
    if (a.isAnyLocalAddress()) {
      throw new OperationException(ErrorKind.SSH_FAILED, "Host " + alias + ": "
          + SshInventory.HIVE_BIND + " must be the address the queen reaches the hive by, not the"
          + " wildcard " + name);
    }
    return a.getHostAddress();
  }

  private static int port(String alias, String value) {
    if (blankToNull(value) == null) {
      return SshInventory.DEFAULT_HIVE_PORT;
    }
    try {
      int p = Integer.parseInt(value.strip());
      if (p >= 1 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new OperationException(ErrorKind.SSH_FAILED, "Host " + alias + ": "
        + SshInventory.HIVE_PORT + " must be 1..65535, got \"" + value + "\"");
  }

  private static Path expand(String path, Path home) {
    String p = path.strip();
    if (p.equals("~")) {
      return home;
    }
    return p.startsWith("~/") ? home.resolve(p.substring(2)) : Path.of(p);
  }

  private static String first(String value) {
    if (value == null) {
      return null;
    }
    String[] words = value.strip().split("\\s+");
    return words.length == 0 ? null : words[0];
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}

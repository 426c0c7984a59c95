package io.rbee.queen.ssh;

import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.Ids;
import io.rbee.jobs.OperationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;

/**
 * The machines hives may run on, named by SSH host aliases. Two files in OpenSSH's
 * {@code ssh_config} syntax, parsed by MINA SSHD ({@link HostConfigEntry}): the user's
 * {@code ~/.ssh/config} ({@value #CONFIG_ENV} names another) for how to reach a machine
 * ({@code HostName}, {@code User}, {@code Port}, {@code IdentityFile}, {@code ProxyJump},
 * {@code UserKnownHostsFile}), and {@code $RBEE_HOME/hives.conf} for the rbee keys
 * ({@value #HIVE_PORT}, {@value #HIVE_BIND}, {@value #RBEE_HOME}, {@value #RBEE_JAVA}). Every
 * {@code Host} block of {@code hives.conf} is a hive; an alias only in {@code ~/.ssh/config}
 * can be named too. As in {@code ssh}, the first value found for a key wins, the user's config
 * read first. The files are read on every call, so an edit needs no queen restart; missing
 * files are empty.
 *
 * <p>{@code localhost} is never looked up here: the local hive is a process of this machine.
 * Thread-safe (immutable).
 */
public final class SshInventory {
  /** The environment variable naming another ssh config file (tests use it). */
  public static final String CONFIG_ENV = "RBEE_SSH_CONFIG";
  public static final String HIVE_PORT = "HivePort";
  public static final String HIVE_BIND = "HiveBind";
  public static final String RBEE_HOME = "RbeeHome";
  public static final String RBEE_JAVA = "RbeeJava";
  public static final int DEFAULT_HIVE_PORT = 9000;
  public static final String DEFAULT_RBEE_HOME = "~/.rbee";

  private final Path sshConfig;
  private final Path hivesConf;

  public SshInventory(Path sshConfig, Path hivesConf) {
    this.sshConfig = sshConfig;
    this.hivesConf = hivesConf;
  }

  /** The inventory of installation {@code rbeeHome}: {@code $RBEE_SSH_CONFIG} or the default. */
  public static SshInventory of(Path rbeeHome) {
    String env = System.getenv(CONFIG_ENV);
    Path config = env != null && !env.isBlank() ? Path.of(env)
        : HostConfigEntry.getDefaultHostConfigFile();
    return new SshInventory(config, rbeeHome.resolve("hives.conf"));
  }

  public Path sshConfig() {
    return sshConfig;
  }

  public Path hivesConf() {
    return hivesConf;
  }

  /** The hive aliases: every literal {@code Host} pattern of {@code hives.conf}, in order. */
  public List<String> aliases() {
    Set<String> out = new LinkedHashSet<>();
    for (HostConfigEntry e : read(hivesConf)) {
      literalPatterns(e).forEach(out::add);
    }
    out.remove("localhost");
    out.removeIf(a -> !Ids.valid(a));
    return List.copyOf(out);
  }

  /**
   * The alias resolved, or empty when neither file has a {@code Host} block naming it literally
   * (a wildcard block alone does not make a host a hive) or it is no valid hive id
   * ({@link Ids}: it becomes part of URLs and file names). Throws {@code ssh_failed} for a file
   * that cannot be parsed or a bad rbee key.
   */
  public Optional<SshHost> find(String alias) {
    List<HostConfigEntry> all = new ArrayList<>(read(sshConfig));
    all.addAll(read(hivesConf));
    boolean named = all.stream().anyMatch(e -> literalPatterns(e).contains(alias));
    if (!named || "localhost".equals(alias) || !Ids.valid(alias)) {
      return Optional.empty();
    }
    try {
      HostConfigEntryResolver resolver = HostConfigEntry.toHostConfigEntryResolver(all);
      HostConfigEntry entry = resolver.resolveEffectiveHost(alias, 0, null, null, null, null);
      return Optional.of(SshHosts.of(alias, entry, resolver));
    } catch (IOException e) {
      throw new OperationException(ErrorKind.SSH_FAILED, "cannot resolve Host " + alias
          + " from " + sshConfig + " and " + hivesConf + ": " + e.getMessage());
    }
  }

  /** {@link #find}, or {@code hive_not_found} saying where to declare the alias. */
  public SshHost require(String alias) {
    return find(alias).orElseThrow(() -> new OperationException(ErrorKind.HIVE_NOT_FOUND,
        "no Host " + alias + " in " + sshConfig + " or " + hivesConf + "; add a block there"
            + " (\"Host " + alias + "\" with its HostName) to make it a hive"
            + (aliases().isEmpty() ? "" : " (configured: " + String.join(", ", aliases()) + ")")));
  }

  private static List<String> literalPatterns(HostConfigEntry e) {
    List<String> out = new ArrayList<>();
    for (String p : e.getHost().split("[\\s,]+")) {
      if (!p.isEmpty() && !p.contains("*") && !p.contains("?") && !p.startsWith("!")) {
        out.add(p);
      }
    }
    return out;
  }

  private static List<HostConfigEntry> read(Path file) {
    if (file == null || !Files.isRegularFile(file)) {
      return List.of();
    }
    try {
      return HostConfigEntry.readHostConfigEntries(file);
    } catch (IOException | RuntimeException e) {
      throw new OperationException(ErrorKind.SSH_FAILED,
          "cannot read " + file + ": " + e.getMessage());
    }
  }
}

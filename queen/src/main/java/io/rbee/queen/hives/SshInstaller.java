package io.rbee.queen.hives;

import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.server.JobContext;
import io.rbee.queen.ssh.Shell;
import io.rbee.queen.ssh.SshHost;
import io.rbee.queen.ssh.SshInventory;
import io.rbee.queen.ssh.SshSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code HiveInstall} and {@code HiveUninstall} for a hive on another machine: the hive
 * distribution copied over SFTP into {@code <remote RBEE_HOME>/dist/} (only files whose SHA-256
 * differs from the remote manifest), and removed again. Every step is narrated.
 */
final class SshInstaller {
  private final SshInventory inventory;
  private final HiveRegistry registry;

  SshInstaller(SshInventory inventory, HiveRegistry registry) {
    this.inventory = inventory;
    this.registry = registry;
  }

  void install(Operation.HiveInstall op, JobContext job) {
    SshHost host = inventory.require(op.hiveId());
    String id = host.alias();
    HiveDistribution dist = HiveDistribution.current();
    try (SshSession ssh = SshSession.open(host, op.acceptHostKey(), job)) {
      String java = RemoteJava.check(ssh, inventory.hivesConf());
      job.narrate("java_ok").hiveId(id).human("Java on {}: {}", id, java).emit();
      RemoteHome home = RemoteHome.of(ssh);
      Path root = ssh.files().getPath(home.dist());
      Map<String, String> before = remoteManifest(root);
      job.narrate("dist_plan").hiveId(id)
          .human("Hive distribution: {} files ({} MB) for {}; {} on file there", dist.files().size(),
              mb(dist.bytes()), home.dist(), before.isEmpty() ? "nothing" : before.size() + " files")
          .emit();
      int copied = 0;
      long bytes = 0;
      for (Map.Entry<String, HiveDistribution.LocalFile> e : dist.files().entrySet()) {
        job.throwIfCancelled();
        Path target = root.resolve(e.getKey());
        HiveDistribution.LocalFile f = e.getValue();
        if (f.sha256().equals(before.get(e.getKey())) && sizeIs(target, f.size())) {
          continue;
        }
        copy(f.path(), target);
        copied++;
        bytes += f.size();
        job.narrate("dist_copy").hiveId(id)
            .human("Copied {} ({} bytes)", e.getKey(), f.size()).emit();
      }
      int removed = 0;
      for (String old : before.keySet()) {
        if (!dist.files().containsKey(old) && Files.deleteIfExists(root.resolve(old))) {
          removed++;
        }
      }
      write(root.resolve(HiveDistribution.CLASSPATH), String.join("\n", dist.classpath()) + "\n");
      write(root.resolve(HiveDistribution.MANIFEST), dist.manifest());
      job.narrate("dist_done").hiveId(id)
          .human("Installed on {}: {} file(s) copied ({} bytes), {} unchanged{}", id, copied,
              bytes, dist.files().size() - copied, removed == 0 ? "" : ", " + removed + " removed")
          .emit();
      job.result(new HiveInstallResult(id, host.target(), java, home.dist(), dist.files().size(),
          dist.bytes(), copied, bytes));
    } catch (IOException e) {
      throw new OperationException(ErrorKind.SSH_FAILED,
          "copying the hive distribution to " + id + " failed: " + e);
    }
  }

  /** {@code running}: the hive answers at its URL (it is then refused). */
  void uninstall(Operation.HiveUninstall op, JobContext job, boolean running) {
    SshHost host = inventory.require(op.hiveId());
    String id = host.alias();
    if (running) {
      throw runningHive(id);
    }
    try (SshSession ssh = SshSession.open(host, false, job)) {
      RemoteHome home = RemoteHome.of(ssh);
      String pidFile = Shell.quote(home.pidFile());
      if (ssh.exec("is the hive's process alive", "[ -f " + pidFile + " ] && kill -0 \"$(cat "
          + pidFile + ")\" 2>/dev/null", java.time.Duration.ofSeconds(20), false).exit() == 0) {
        throw runningHive(id);
      }
      List<String> paths = new java.util.ArrayList<>(List.of(home.dist(), home.token(),
          home.path() + "/logs", home.path() + "/run"));
      if (op.removeModels()) {
        paths.add(home.models());
      }
      for (String p : paths) {
        Path remote = ssh.files().getPath(p);
        if (Files.exists(remote)) {
          long n = deleteTree(remote);
          job.narrate("uninstall_remove").hiveId(id)
              .human("Removed {} ({} file(s))", p, n).emit();
        }
      }
      Path root = ssh.files().getPath(home.path());
      boolean empty;
      try (Stream<Path> s = Files.exists(root) ? Files.list(root) : Stream.empty()) {
        empty = s.findAny().isEmpty();
      }
      if (empty && Files.exists(root)) {
        Files.delete(root);
      }
      job.narrate("uninstall_done").hiveId(id)
          .human("Uninstalled hive {} from {}{}", id, home.path(), op.removeModels()
              ? " (models removed too)" : empty ? "" : " (its models stay in " + home.models()
                  + "; --remove-models removes them)").emit();
      registry.forget(id);
    } catch (IOException e) {
      throw new OperationException(ErrorKind.SSH_FAILED, "uninstalling from " + id + " failed: "
          + e);
    }
  }

  private static OperationException runningHive(String id) {
    return new OperationException(ErrorKind.HIVE_RUNNING, "hive " + id + " is running;"
        + " stop it first with `rbee hive stop --hive " + id + "`");
  }

  private static Map<String, String> remoteManifest(Path root) throws IOException {
    Path m = root.resolve(HiveDistribution.MANIFEST);
    return Files.exists(m) ? HiveDistribution.parseManifest(Files.readString(m)) : Map.of();
  }

  private static boolean sizeIs(Path p, long size) {
    try {
      return Files.size(p) == size;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Copies to a sibling and renames it over the target: a running hive keeps reading the old
   * file (its inode) instead of a jar rewritten under it, and a copy cut short never carries
   * the final name.
   */
  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    Path part = to.resolveSibling(to.getFileName() + ".part");
    Files.copy(from, part, StandardCopyOption.REPLACE_EXISTING);
    Files.deleteIfExists(to);
    Files.move(part, to);
  }

  private static void write(Path to, String text) throws IOException {
    Files.createDirectories(to.getParent());
    Files.write(to, text.getBytes(StandardCharsets.UTF_8));
  }

  private static long deleteTree(Path p) throws IOException {
    long files = 0;
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
        if (!Files.isDirectory(f)) {
          files++;
        }
        Files.delete(f);
      }
    }
    return files;
  }

  private static String mb(long bytes) {
    return String.format("%.1f", bytes / 1e6);
  }
}

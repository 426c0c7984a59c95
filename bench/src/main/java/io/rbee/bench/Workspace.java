package io.rbee.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The folder one benchmark run owns: daemon homes, logs, models, nginx's prefix. A fresh
 * {@code /tmp/rbee-bench-<name>-*} unless {@code --work DIR} names one. It is readable by
 * others (an unprivileged nginx reads its config from it). {@link #cleanUp} deletes it after a
 * successful run unless it was named or {@code --keep true}; after a failure it stays for its
 * logs.
 */
public record Workspace(Path dir, boolean keep) {

  public static Workspace create(String name, BenchArgs args) throws IOException {
    String named = args.string("work", null);
    boolean keep = Boolean.parseBoolean(args.string("keep", "false")) || named != null;
    Path dir = named != null ? Files.createDirectories(Path.of(named).toAbsolutePath())
        : Files.createTempDirectory("rbee-bench-" + name + "-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    return new Workspace(dir, keep);
  }

  public Path resolve(String other) {
    return dir.resolve(other);
  }

  /** Deletes the folder unless it is to be kept; never throws. */
  public void cleanUp() {
    if (keep) {
      return;
    }
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temp folder is harmless
    }
  }
}

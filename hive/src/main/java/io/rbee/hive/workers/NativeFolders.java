package io.rbee.hive.workers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folders workers extract llama.cpp's native library into (about 5 MB each), owned by the
 * hive: a worker cannot be trusted to delete its own, since a SIGKILL (or a hive that kills it
 * after the grace time) skips its shutdown hooks. Deleting the folder of a process that still
 * runs is harmless on Linux: a loaded library stays mapped.
 */
final class NativeFolders {
  private static final Logger LOG = LoggerFactory.getLogger(NativeFolders.class);

  private NativeFolders() {}

  /** Deletes {@code dir} and everything in it; a missing folder is fine. Never throws. */
  static void delete(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(NativeFolders::deleteOne);
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", dir, e.toString());
    }
  }

  /**
   * Deletes every worker folder under {@code root}: at hive start no worker of this hive runs
   * (workers exit with their hive), so whatever is there was left by one that died.
   */
  static int sweep(Path root) {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    int n = 0;
    try (Stream<Path> s = Files.list(root)) {
      for (Path p : s.toList()) {
        delete(p);
        n++;
      }
    } catch (IOException e) {
      LOG.warn("could not list {}: {}", root, e.toString());
    }
    return n;
  }

  private static void deleteOne(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", p, e.toString());
    }
  }
}

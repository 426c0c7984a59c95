package io.rbee.queen.hives;

import io.rbee.jobs.launch.JvmLauncher;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a hive on another machine runs from: the classpath a local hive gets
 * ({@link JvmLauncher#classpath()}), laid out under the remote {@code dist/} folder. A jar goes
 * to {@code lib/<name>}; a folder of classes (a build's {@code target/classes}) to
 * {@code cp/<n>/…}. {@link #MANIFEST} lists every file with its SHA-256, so an install copies
 * only what changed; {@link #CLASSPATH} lists the entries in order, for the hive's
 * {@code -cp}.
 *
 * @param files every file: its path under {@code dist/} (with {@code /}) and where it is here
 * @param classpath the classpath entries, relative to {@code dist/}, in order
 */
record HiveDistribution(Map<String, LocalFile> files, List<String> classpath) {
  static final String MANIFEST = "manifest.sha256";
  static final String CLASSPATH = "classpath.txt";

  /** One file of the distribution on this machine. */
  record LocalFile(Path path, long size, String sha256) {}

  /** The distribution of this process's hive classpath. */
  static HiveDistribution current() {
    return of(JvmLauncher.classpath());
  }

  static HiveDistribution of(String classpath) {
    Map<String, LocalFile> files = new LinkedHashMap<>();
    List<String> entries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    int n = 0;
    for (String e : classpath.split(File.pathSeparator)) {
      if (e.isBlank()) {
        continue;
      }
      Path p = Path.of(e).toAbsolutePath();
      if (Files.isRegularFile(p)) {
        String name = p.getFileName().toString();
        String rel = names.add(name) ? "lib/" + name : "lib/" + n + "-" + name;
        files.put(rel, local(p));
        entries.add(rel);
      } else if (Files.isDirectory(p)) {
        String dir = "cp/" + n;
        try (Stream<Path> walk = Files.walk(p)) {
          for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
            files.put(dir + "/" + p.relativize(f).toString().replace(File.separatorChar, '/'),
                local(f));
          }
        } catch (IOException ex) {
          throw new UncheckedIOException("cannot read " + p, ex);
        }
        entries.add(dir);
      }
      n++;
    }
    return new HiveDistribution(files, entries);
  }

  /** The manifest's text: {@code <sha256>  <path>} per line, as {@code sha256sum} writes it. */
  String manifest() {
    StringBuilder sb = new StringBuilder();
    files.forEach((rel, f) -> sb.append(f.sha256()).append("  ").append(rel).append('\n'));
    return sb.toString();
  }

  long bytes() {
    return files.values().stream().mapToLong(LocalFile::size).sum();
  }

  /** Reads a manifest back: path to checksum. */
  static Map<String, String> parseManifest(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      int sep = line.indexOf("  ");
      if (sep > 0) {
        out.put(line.substring(sep + 2).strip(), line.substring(0, sep).strip());
      }
    }
    return out;
  }

  private static LocalFile local(Path p) {
    try (InputStream in = Files.newInputStream(p)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      long size = 0;
      for (int r; (r = in.read(buf)) > 0; ) {
        md.update(buf, 0, r);
        size += r;
      }
      return new LocalFile(p, size, HexFormat.of().formatHex(md.digest()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}

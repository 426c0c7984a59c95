package io.rbee.testkit.metrics;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus' own check of an exposition: {@code promtool check metrics} (Debian's
 * {@code prometheus} package; {@code .ci/run} installs it when it is missing). A test that
 * needs it fails when it is absent, saying how to install it: it is never skipped silently.
 */
public final class Promtool {
  private Promtool() {}

  /** What {@code promtool check metrics} said of {@code exposition}, when it passed. */
  public static String checkMetrics(String exposition) throws IOException, InterruptedException {
    Path promtool = find();
    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics")
        .redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(exposition.getBytes(StandardCharsets.UTF_8));
    }
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("promtool check metrics did not finish within 30 s");
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("promtool check metrics failed (exit " + p.exitValue() + "):\n"
          + said + "\nfor:\n" + exposition);
    }
    return said;
  }

  /** {@code promtool} on the PATH, or an AssertionError that says how to install it. */
  public static Path find() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, "promtool");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError("promtool is not on the PATH (" + path + "): this test checks"
        + " /metrics with `promtool check metrics`. Install it with"
        + " `sudo apt-get install --no-install-recommends prometheus` (Debian, Ubuntu), or put"
        + " Prometheus' promtool binary on the PATH; .ci/run installs it when it is missing");
  }
}

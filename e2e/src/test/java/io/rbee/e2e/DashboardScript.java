package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.narration.Json;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard's browser side: {@code src/test/dashboard/dashboard.mjs} run by node, driving
 * headless Chromium (Debian's {@code chromium}) through {@code playwright-core} (pinned in that
 * folder's package-lock.json; {@code .ci/run} runs {@code npm ci} there and installs chromium
 * when missing). A missing piece fails the test with how to install it; it never skips.
 *
 * <p>The script prints {@code CUT} when it wants every connection cut; {@code onCut} does it
 * and the script is told {@code cut}. Its last line, {@code RESULT <json>}, is the answer.
 */
final class DashboardScript {
  static final Path DIR = Path.of("src/test/dashboard").toAbsolutePath();
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private DashboardScript() {}

  /**
   * Runs the script with {@code env} (its DASH_* variables), calling {@code onCut} for each
   * {@code CUT}; the RESULT's JSON. Fails when it does not finish within {@code timeoutS}.
   */
  static JsonNode run(Map<String, String> env, Runnable onCut, Path log, int timeoutS)
      throws Exception {
    Path node = requireTools();
    ProcessBuilder pb = new ProcessBuilder(node.toString(), "dashboard.mjs")
        .directory(DIR.toFile()).redirectError(log.toFile());
    pb.environment().putAll(env);
    pb.environment().put("CHROMIUM", CHROMIUM.toString());
    Process p = pb.start();
    String[] result = {null};
    StringBuilder out = new StringBuilder();
    Thread reader = Thread.ofVirtual().start(() -> {
      try (BufferedReader lines = new BufferedReader(
          new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
          OutputStream in = p.getOutputStream()) {
        for (String line; (line = lines.readLine()) != null; ) {
          out.append(line).append('\n');
          if (line.equals("CUT")) {
            onCut.run();
            in.write("cut\n".getBytes(StandardCharsets.UTF_8));
            in.flush();
          } else if (line.startsWith("RESULT ")) {
            result[0] = line.substring("RESULT ".length());
          }
        }
      } catch (IOException e) {
        // the script ended
      }
    });
    if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly); // the browser it started
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("dashboard.mjs did not finish within " + timeoutS + " s; stdout:\n"
          + out + "\nstderr:\n" + Files.readString(log));
    }
    reader.join(10_000);
    assertThat(result[0]).as("the script's RESULT line; exit " + p.exitValue() + ", stdout:\n"
        + out + "\nstderr:\n" + Files.readString(log)).isNotNull();
    return Json.MAPPER.readTree(result[0]);
  }

  /** node, once chromium and the script's node_modules are there too; else how to get them. */
  static Path requireTools() {
    if (!Files.isExecutable(CHROMIUM)) {
      throw new AssertionError(CHROMIUM + " is missing: DashboardTest drives the dashboard in"
          + " headless Chromium. Install Debian's chromium (`sudo apt-get install"
          + " --no-install-recommends chromium`); .ci/run installs it when it is missing");
    }
    Path node = onPath("node");
    if (node == null) {
      throw new AssertionError("node is not on the PATH: DashboardTest runs"
          + " src/test/dashboard/dashboard.mjs with it. Install Node.js 18 or newer (`sudo"
          + " apt-get install nodejs npm`)");
    }
    if (!Files.isDirectory(DIR.resolve("node_modules/playwright-core"))) {
      throw new AssertionError(DIR.resolve("node_modules") + " has no playwright-core:"
          + " run `npm ci` in " + DIR + " (it installs the pinned playwright-core only; do not"
          + " run `npx playwright install`, the test uses Debian's chromium); .ci/run does it"
          + " when it is missing");
    }
    return node;
  }

  private static Path onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}

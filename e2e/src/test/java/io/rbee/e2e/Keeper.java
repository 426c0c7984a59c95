package io.rbee.e2e;

import io.rbee.jobs.launch.JvmLauncher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code rbee} CLI as a process, as a user would, and captures what it prints. */
final class Keeper {
  record Result(int exitCode, String stdout, String stderr) {
    String lastErrLine() {
      String[] lines = stderr.strip().split("\n");
      return lines[lines.length - 1];
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
    }
  }

  private Keeper() {}

  static Result run(Path home, Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(JvmLauncher.of("io.rbee.keeper.Rbee").arg(args).command());
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("RBEE_HOME", home.toString());
    pb.environment().remove("RBEE_TOKEN"); // the home's token, unless the test sets one
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    Process p = pb.start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("rbee " + String.join(" ", args) + " did not finish in 120 s");
    }
    return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
  }

  static Result run(Path home, String... args) throws Exception {
    return run(home, Map.of(), args);
  }

  private static String read(InputStream in) {
    try (in) {
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      in.transferTo(buf);
      return buf.toString(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

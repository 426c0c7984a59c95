package io.rbee.bench;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A benchmark's command line: {@code --name value} pairs, each also settable by an environment
 * variable ({@code --events} ↔ {@code BENCH_EVENTS}); the option wins over the environment,
 * which wins over the default. An unknown option or a bad number throws
 * {@link IllegalArgumentException} naming it.
 */
public final class BenchArgs {
  /** The benchmark JVMs' logging (warnings on stderr; stdout is for the report). */
  public static final String LOGBACK = "io/rbee/bench/logback-bench.xml";

  /** A benchmark's body, run by {@link #runMain}. */
  @FunctionalInterface
  public interface Body {
    void run(String[] argv) throws Exception;
  }

  /**
   * Runs a benchmark main: a failure is printed and exits 1. The caller exits explicitly after
   * a success too: llama.cpp and the HTTP clients leave threads that keep a JVM alive.
   */
  public static void runMain(String name, String[] argv, Body body) {
    try {
      body.run(argv);
    } catch (Exception | Error e) {
      System.err.println(name + ": failed: " + e);
      e.printStackTrace();
      System.exit(1);
    }
  }

  /**
   * Takes stdout for the report alone: returns a stream to the real stdout and points
   * {@code System.out} at stderr, where stray library output (llama.cpp's loader prints a line
   * on stdout) then lands.
   */
  public static PrintStream reportStream() {
    PrintStream report = new PrintStream(new FileOutputStream(FileDescriptor.out), true,
        StandardCharsets.UTF_8);
    System.setOut(System.err);
    return report;
  }

  private final Map<String, String> values;
  private final Map<String, String> env;

  private BenchArgs(Map<String, String> values, Map<String, String> env) {
    this.values = values;
    this.env = env;
  }

  /** Parses {@code args}; {@code known} are the option names without dashes. */
  public static BenchArgs parse(String[] args, Set<String> known, Map<String, String> env) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--") || !known.contains(a.substring(2))) {
        throw new IllegalArgumentException("unknown argument \"" + a + "\"; known: --"
            + String.join(", --", known.stream().sorted().toList()));
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      values.put(a.substring(2), args[++i]);
    }
    return new BenchArgs(values, env);
  }

  /** The value of {@code --name}, else of {@code BENCH_NAME}, else {@code fallback}. */
  public String string(String name, String fallback) {
    String v = values.get(name);
    if (v == null) {
      v = env.get("BENCH_" + name.toUpperCase().replace('-', '_'));
    }
    return v == null || v.isBlank() ? fallback : v;
  }

  /** An integer option within {@code min..max}. */
  public int integer(String name, int fallback, int min, int max) {
    String raw = string(name, null);
    if (raw == null) {
      return fallback;
    }
    try {
      int v = Integer.parseInt(raw.strip().replace("_", "").replace(",", ""));
      if (v >= min && v <= max) {
        return v;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException("--" + name + " must be an integer " + min + ".." + max
        + ", got \"" + raw + "\"");
  }
}

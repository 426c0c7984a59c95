package io.rbee.worker;

import io.rbee.jobs.limits.LlamaThreads;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker's command line: {@code --model PATH --port N [--bind ADDR] [--device cpu|cuda:N]
 * [--worker-id ID] [--model-id ID] [--llama-lib DIR] [--threads N] [--native-dir DIR]
 * [--watch-stdin]}. Each option with a value also reads {@code --opt=value}.
 *
 * <p>{@code --threads}: llama.cpp's CPU threads (default {@link LlamaThreads#machineDefault()});
 * {@code --native-dir}: where llama.cpp's native library is extracted (the hive owns and
 * deletes it; default a fresh temp folder); {@code --watch-stdin}: exit when stdin ends, i.e.
 * when the process holding its other end (the hive) is gone.
 */
record WorkerArgs(Path model, int port, String bind, String device, String workerId,
    String modelId, Path llamaLib, int threads, Path nativeDir, boolean watchStdin) {
  static final String USAGE = "usage: llm-worker-rbee --model PATH --port N [--bind ADDR]"
      + " [--device cpu|cuda:N] [--worker-id ID] [--model-id ID] [--llama-lib DIR]"
      + " [--threads N] [--native-dir DIR] [--watch-stdin]";

  /** The flag that ties the worker's life to its stdin (read before anything else in main). */
  static final String WATCH_STDIN = "--watch-stdin";

  private static final List<String> OPTIONS = List.of("--model", "--port", "--bind",
      "--device", "--worker-id", "--model-id", "--llama-lib", "--threads", "--native-dir");

  /** Parses {@code args}; throws IllegalArgumentException naming the bad option and value. */
  static WorkerArgs parse(String... args) {
    Map<String, String> v = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals(WATCH_STDIN)) {
        v.put(name, "true");
        continue;
      }
      String value;
      int eq = name.indexOf('=');
      if (name.startsWith("--") && eq > 0) {
        value = name.substring(eq + 1);
        name = name.substring(0, eq);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        value = null;
      }
      if (!OPTIONS.contains(name)) {
        throw new IllegalArgumentException("unknown option \"" + name + "\"");
      }
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      v.put(name, value);
    }
    if (!v.containsKey("--model")) {
      throw new IllegalArgumentException("--model PATH is required");
    }
    if (!v.containsKey("--port")) {
      throw new IllegalArgumentException("--port N is required");
    }
    int port;
    try {
      port = Integer.parseInt(v.get("--port"));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be 0..65535, got \"" + v.get("--port")
          + "\"");
    }
    String device = v.getOrDefault("--device", "cpu");
    if (!device.equals("cpu") && !device.matches("cuda:\\d{1,2}")) {
      throw new IllegalArgumentException(
          "--device must be \"cpu\" or \"cuda:N\" (N = GPU index), got \"" + device + "\"");
    }
    int threads = v.containsKey("--threads") ? threads(v.get("--threads"))
        : LlamaThreads.machineDefault();
    Path model = Path.of(v.get("--model"));
    return new WorkerArgs(model, port, v.getOrDefault("--bind", "127.0.0.1"), device,
        v.getOrDefault("--worker-id", "worker-" + port),
        v.getOrDefault("--model-id", model.getFileName().toString()),
        v.containsKey("--llama-lib") ? Path.of(v.get("--llama-lib")) : null, threads,
        v.containsKey("--native-dir") ? Path.of(v.get("--native-dir")) : null,
        v.containsKey(WATCH_STDIN));
  }

  private static int threads(String raw) {
    try {
      return LlamaThreads.check("--threads", Integer.parseInt(raw));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--threads must be " + LlamaThreads.MIN + ".."
          + LlamaThreads.MAX + ", got \"" + raw + "\"");
    }
  }
}

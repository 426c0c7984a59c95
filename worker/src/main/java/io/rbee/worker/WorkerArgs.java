package io.rbee.worker;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker's command line: {@code --model PATH --port N [--bind ADDR] [--device cpu|cuda:N]
 * [--worker-id ID] [--model-id ID] [--llama-lib DIR]}. Each option also reads {@code --opt=value}.
 */
record WorkerArgs(Path model, int port, String bind, String device, String workerId,
    String modelId, Path llamaLib) {
  static final String USAGE = "usage: llm-worker-rbee --model PATH --port N [--bind ADDR]"
      + " [--device cpu|cuda:N] [--worker-id ID] [--model-id ID] [--llama-lib DIR]";

  private static final List<String> OPTIONS = List.of("--model", "--port", "--bind",
      "--device", "--worker-id", "--model-id", "--llama-lib");

  /** Parses {@code args}; throws IllegalArgumentException naming the bad option and value. */
  static WorkerArgs parse(String... args) {
    Map<String, String> v = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
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
    Path model = Path.of(v.get("--model"));
    return new WorkerArgs(model, port, v.getOrDefault("--bind", "127.0.0.1"), device,
        v.getOrDefault("--worker-id", "worker-" + port),
        v.getOrDefault("--model-id", model.getFileName().toString()),
        v.containsKey("--llama-lib") ? Path.of(v.get("--llama-lib")) : null);
  }
}

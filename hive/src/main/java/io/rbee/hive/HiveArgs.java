package io.rbee.hive;

import java.nio.file.Path;

/**
 * The hive daemon's command line: {@code --port N} (default 9000), {@code --bind ADDR}
 * (default 127.0.0.1), {@code --hive-id ID} (default localhost), {@code --llama-lib DIR}
 * (default: {@code RBEE_LLAMA_LIB_DIR}, else none), the {@link HiveLimits} ({@code
 * --worker-threads N}, {@code --max-spawns N}, {@code --max-downloads N}; defaults from their
 * environment variables, else built in), {@code --help}.
 */
record HiveArgs(int port, String bind, String hiveId, Path llamaLibDir, HiveLimits limits,
    boolean help) {
  static final int DEFAULT_PORT = 9000;

  static final String USAGE = """
      Usage: rbee-hive [--port N] [--bind ADDR] [--hive-id ID] [--llama-lib DIR]
                       [--worker-threads N] [--max-spawns N] [--max-downloads N]

      The rbee hive daemon: owns this machine's workers, models and devices.

        --port N            port to listen on (default 9000; 0 picks a free one)
        --bind ADDR         address to listen on (default 127.0.0.1)
        --hive-id ID        this hive's id (default localhost)
        --llama-lib DIR     folder with a CUDA-enabled libjllama.so (default $RBEE_LLAMA_LIB_DIR)
        --worker-threads N  llama.cpp threads of a worker whose spawn names none (default
                            $RBEE_WORKER_THREADS, else half the cores, at least 1)
        --max-spawns N      worker spawns at once; more wait (default $RBEE_MAX_SPAWNS, else 2)
        --max-downloads N   model downloads at once; more wait (default $RBEE_MAX_DOWNLOADS,
                            else 2)
        --help              show this help

      State lives under $RBEE_HOME (default ~/.rbee).""";

  /** Parses {@code args}; a bad argument throws {@link IllegalArgumentException} saying which. */
  static HiveArgs parse(String[] args) {
    int port = DEFAULT_PORT;
    String bind = "127.0.0.1";
    String hiveId = HiveConfig.LOCAL_HIVE_ID;
    Path llamaLib = HiveConfig.llamaLibDirFromEnv();
    HiveLimits limits = HiveLimits.fromEnv();
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help", "-h" -> help = true;
        case "--port" -> port = port(value(args, ++i, a));
        case "--bind" -> bind = value(args, ++i, a);
        case "--hive-id" -> hiveId = value(args, ++i, a);
        case "--llama-lib" -> llamaLib = Path.of(value(args, ++i, a)).toAbsolutePath();
        case "--worker-threads" ->
            limits = limits.withWorkerThreads(HiveLimits.parse(a, value(args, ++i, a)));
        case "--max-spawns" ->
            limits = limits.withMaxSpawns(HiveLimits.parse(a, value(args, ++i, a)));
        case "--max-downloads" ->
            limits = limits.withMaxDownloads(HiveLimits.parse(a, value(args, ++i, a)));
        default -> throw new IllegalArgumentException("unknown argument \"" + a + "\"");
      }
    }
    return new HiveArgs(port, bind, hiveId, llamaLib, limits, help);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static int port(String raw) {
    try {
      int p = Integer.parseInt(raw);
      if (p >= 0 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException("--port must be 0..65535, got \"" + raw + "\"");
  }
}

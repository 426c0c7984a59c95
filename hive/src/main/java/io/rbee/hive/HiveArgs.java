package io.rbee.hive;

import java.nio.file.Path;

/**
 * The hive daemon's command line: {@code --port N} (default 9000), {@code --bind ADDR}
 * (default 127.0.0.1), {@code --hive-id ID} (default localhost), {@code --llama-lib DIR}
 * (default: {@code RBEE_LLAMA_LIB_DIR}, else none), {@code --help}.
 */
record HiveArgs(int port, String bind, String hiveId, Path llamaLibDir, boolean help) {
  static final int DEFAULT_PORT = 9000;

  static final String USAGE = """
      Usage: rbee-hive [--port N] [--bind ADDR] [--hive-id ID] [--llama-lib DIR]

      The rbee hive daemon: owns this machine's workers, models and devices.

        --port N         port to listen on (default 9000; 0 picks a free one)
        --bind ADDR      address to listen on (default 127.0.0.1)
        --hive-id ID     this hive's id (default localhost)
        --llama-lib DIR  folder with a CUDA-enabled libjllama.so (default $RBEE_LLAMA_LIB_DIR)
        --help           show this help

      State lives under $RBEE_HOME (default ~/.rbee).""";

  /** Parses {@code args}; a bad argument throws {@link IllegalArgumentException} saying which. */
  static HiveArgs parse(String[] args) {
    int port = DEFAULT_PORT;
    String bind = "127.0.0.1";
    String hiveId = HiveConfig.LOCAL_HIVE_ID;
    Path llamaLib = HiveConfig.llamaLibDirFromEnv();
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--help", "-h" -> help = true;
        case "--port" -> port = port(value(args, ++i, a));
        case "--bind" -> bind = value(args, ++i, a);
        case "--hive-id" -> hiveId = value(args, ++i, a);
        case "--llama-lib" -> llamaLib = Path.of(value(args, ++i, a)).toAbsolutePath();
        default -> throw new IllegalArgumentException("unknown argument \"" + a + "\"");
      }
    }
    return new HiveArgs(port, bind, hiveId, llamaLib, help);
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

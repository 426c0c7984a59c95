package io.rbee.worker;

import io.rbee.jobs.InvalidOperationException;
import io.rbee.jobs.KeepAlive;
import io.rbee.jobs.cli.CommandLines;
import io.rbee.jobs.limits.LlamaThreads;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The worker's command line: {@code --model PATH --port N [--bind ADDR] [--device cpu|cuda:N]
 * [--worker-id ID] [--model-id ID] [--llama-lib DIR] [--threads N] [--native-dir DIR]
 * [--keep-alive DURATION] [--watch-stdin]}. Each option also reads {@code --opt=value}. Read
 * by picocli ({@link Options}, the options of {@link WorkerMain}).
 *
 * <p>{@code --threads}: llama.cpp's CPU threads (default {@link LlamaThreads#machineDefault()});
 * {@code --native-dir}: where llama.cpp's native library is extracted (the hive owns and
 * deletes it; default a fresh temp folder); {@code --keep-alive}: how long it stays loaded once
 * idle unless a request says otherwise ({@link KeepAlive}; default 5m; the hive passes its
 * own default); {@code --watch-stdin}: exit when stdin ends, i.e. when the process holding
 * its other end (the hive) is gone.
 */
record WorkerArgs(Path model, int port, String bind, String device, String workerId,
    String modelId, Path llamaLib, int threads, Path nativeDir, KeepAlive keepAlive,
    boolean watchStdin) {

  /** The flag that ties the worker's life to its stdin (read before anything else in main). */
  static final String WATCH_STDIN = "--watch-stdin";

  /**
   * Parses {@code args} alone (no help option); a bad command line throws picocli's
   * {@link CommandLine.ParameterException} naming the bad option and value.
   */
  static WorkerArgs parse(String... args) {
    Options options = new Options();
    CommandLine cmd = new CommandLine(options);
    cmd.parseArgs(args);
    return options.toArgs(cmd.getCommandSpec());
  }

  /** The options as picocli reads them; {@link #toArgs} validates and fills defaults. */
  static final class Options {
    @Option(names = "--model", paramLabel = "PATH", required = true,
        description = "the GGUF model file to serve")
    Path model;

    @Option(names = "--port", paramLabel = "N", required = true,
        description = "port to listen on (0 picks a free one)")
    int port;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
        description = "address to listen on (default ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--device", paramLabel = "cpu|cuda:N", defaultValue = "cpu",
        description = "where the model runs (default ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--worker-id", paramLabel = "ID",
        description = "this worker's id (default worker-<port>)")
    String workerId;

    @Option(names = "--model-id", paramLabel = "ID",
        description = "the model's catalog id (default: the file name)")
    String modelId;

    @Option(names = "--llama-lib", paramLabel = "DIR",
        description = "folder with a CUDA-enabled libjllama.so")
    Path llamaLib;

    @Option(names = "--threads", paramLabel = "N",
        description = "llama.cpp CPU threads (default: half the cores, at least 1)")
    Integer threads;

    @Option(names = "--native-dir", paramLabel = "DIR",
        description = "where llama.cpp's native library is extracted (default a temp folder)")
    Path nativeDir;

    @Option(names = "--keep-alive", paramLabel = "DURATION",
        description = "how long to stay loaded once idle unless a request says otherwise"
            + " (\"5m\", \"30s\", -1 never, 0 right after each request; default 5m)")
    String keepAlive;

    @Option(names = WATCH_STDIN,
        description = "exit when stdin ends (the hive holds its other end)")
    boolean watchStdin;

    /** The validated arguments; a bad value is a usage error of {@code spec} naming it. */
    WorkerArgs toArgs(CommandSpec spec) {
      CommandLines.port(spec, "--port", port);
      if (!device.equals("cpu") && !device.matches("cuda:\\d{1,2}")) {
        throw CommandLines.usage(spec,
            "--device must be \"cpu\" or \"cuda:N\" (N = GPU index), got \"" + device + "\"");
      }
      int n = threads != null ? threads : LlamaThreads.machineDefault();
      if (n < LlamaThreads.MIN || n > LlamaThreads.MAX) {
        throw CommandLines.usage(spec, "--threads must be " + LlamaThreads.MIN + ".."
            + LlamaThreads.MAX + ", got " + n);
      }
      KeepAlive idle;
      try {
        idle = keepAlive == null ? KeepAlive.DEFAULT : KeepAlive.parse(keepAlive);
      } catch (InvalidOperationException e) {
        throw CommandLines.usage(spec, "--keep-alive" + e.getMessage().substring(
            "keep_alive".length()));
      }
      return new WorkerArgs(model, port, bind, device,
          workerId != null ? workerId : "worker-" + port,
          modelId != null ? modelId : model.getFileName().toString(), llamaLib, n, nativeDir,
          idle, watchStdin);
    }
  }
}

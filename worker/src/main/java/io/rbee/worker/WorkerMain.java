package io.rbee.worker;

import io.rbee.jobs.ExitCode;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.RbeeHome;
import io.rbee.jobs.auth.AccessToken;
import io.rbee.jobs.auth.TokenFile;
import io.rbee.jobs.cli.CommandLines;
import io.rbee.narration.Narrator;
import io.rbee.worker.inference.LlamaEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code llm-worker-rbee}: serves one model until it is stopped (SIGTERM). Starts its HTTP
 * server first, so {@code /health} says "loading" during the load, then loads the model.
 *
 * <p>Exit codes ({@link ExitCode}): 5 the model is missing or invalid, 6 CUDA is unavailable,
 * 2 bad arguments (message and usage on stderr, as every rbee program), 1 anything else. Each
 * failure after the arguments prints one line {@code rbee-worker: error: <message>} to stderr,
 * which the hive shows its user.
 */
@Command(
    name = "llm-worker-rbee",
    sortOptions = false,
    description = "An rbee worker: serves one model (llama.cpp) to the jobs its hive and"
        + " queen send it.")
public final class WorkerMain implements Callable<Integer> {
  private static final Narrator NARRATE = Narrator.of("worker");

  @Spec CommandSpec spec;

  @Mixin WorkerArgs.Options options;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
  boolean help;

  WorkerMain() {}

  public static void main(String[] args) {
    // before anything else: a hive that died while this JVM was still starting must not leave
    // it running (see exitWithStdin)
    if (java.util.Arrays.asList(args).contains(WorkerArgs.WATCH_STDIN)) {
      exitWithStdin();
    }
    // exit explicitly: Javalin and llama.cpp leave non-daemon threads behind
    System.exit(run(args));
  }

  /** Runs the worker; returns an exit code on failure, never returns once the model is ready. */
  static int run(String[] args) {
    return CommandLines.of(new WorkerMain()).execute(args);
  }

  @Override
  public Integer call() {
    WorkerArgs a = options.toArgs(spec);
    nativeDir(a.nativeDir());
    AccessToken token;
    try {
      // RBEE_TOKEN from the hive that started this worker, else the installation's token file
      token = TokenFile.forDaemon(RbeeHome.resolve(), System.getenv());
    } catch (RuntimeException e) {
      error(e.getMessage());
      return ExitCode.FAILED.code();
    }
    WorkerServer server = new WorkerServer(a.workerId(), a.modelId(), a.device(), token,
        a.keepAlive());
    try {
      server.start(a.bind(), a.port());
    } catch (RuntimeException e) {
      error("cannot serve on " + a.bind() + ":" + a.port() + ": " + e.getMessage());
      return ExitCode.FAILED.code();
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "worker-shutdown"));
    if (!a.watchStdin()) {
      exitWithParent();
    }
    NARRATE.withoutJob("worker_loading").workerId(a.workerId()).model(a.modelId())
        .device(a.device()).human("Loading {} on {} with {} thread(s) (serving {})", a.model(),
            a.device(), a.threads(), server.baseUrl())
        .emit();
    long start = System.nanoTime();
    LlamaEngine engine;
    try {
      engine = LlamaEngine.load(a.model(), a.device(), a.llamaLib(), a.threads());
    } catch (OperationException e) {
      error(e.getMessage());
      return switch (e.kind()) {
        case CUDA_UNAVAILABLE -> ExitCode.CUDA_UNAVAILABLE.code();
        case MODEL_NOT_FOUND, INVALID_GGUF, MODEL_LOAD_FAILED -> ExitCode.INVALID_MODEL.code();
        default -> ExitCode.FAILED.code();
      };
    } catch (RuntimeException | LinkageError e) {
      error("could not load " + a.model() + ": " + e);
      return ExitCode.FAILED.code();
    }
    server.ready(engine);
    NARRATE.withoutJob("worker_ready").workerId(a.workerId()).model(a.modelId()).device(a.device())
        .durationMs((System.nanoTime() - start) / 1_000_000)
        .human("Ready: {} on {} in {} ms", a.modelId(), a.device(),
            (System.nanoTime() - start) / 1_000_000)
        .emit();
    try {
      new CountDownLatch(1).await(); // until SIGTERM runs the shutdown hook
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /**
   * A worker belongs to the hive that spawned it: the hive holds the write end of this
   * process's stdin, so end of file on stdin means the hive is gone (SIGKILL, a crash, a clean
   * exit that forgot this worker) and the worker stops instead of holding a model in memory
   * forever. Started first thing in {@code main}: the pipe reports a hive that died even before
   * this JVM started. (Watching {@code ProcessHandle.parent()} cannot: when the hive dies
   * before the watch begins, the parent already is init, which never exits.)
   */
  private static void exitWithStdin() {
    Thread t = new Thread(() -> {
      try {
        byte[] sink = new byte[256];
        while (System.in.read(sink) >= 0) {
          // the hive never writes; anything read is ignored
        }
      } catch (IOException e) {
        // a broken pipe means the same: the hive is gone
      }
      error("the hive that started this worker is gone (its pipe closed); stopping");
      System.exit(ExitCode.FAILED.code());
    }, "worker-hive-watch");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Without {@code --watch-stdin} (a worker started by hand): stops when the parent process
   * ends. Best effort only: a parent that died before this runs is not seen.
   */
  private static void exitWithParent() {
    ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> {
      error("the process that started this worker (pid " + parent.pid() + ") ended; stopping");
      System.exit(ExitCode.FAILED.code());
    }));
  }

  private static void error(String message) {
    System.err.println("rbee-worker: error: " + message.replace('\n', ' '));
    System.err.flush();
  }

  /**
   * Gives llama.cpp's loader a folder of this process's own: it extracts its library there and
   * deletes older copies it finds, which must not hit another worker's. {@code given} is the
   * folder the hive owns (and deletes once this process has exited, however it ended); without
   * one a fresh temp folder is made. Either way this process deletes it at a normal exit too;
   * a SIGKILL skips that, which is why the hive owns the folder.
   */
  private static void nativeDir(Path given) {
    if (System.getProperty("de.kherud.llama.tmpdir") != null) {
      return;
    }
    try {
      Path dir = given != null ? Files.createDirectories(given)
          : Files.createTempDirectory("rbee-worker-llama-");
      System.setProperty("de.kherud.llama.tmpdir", dir.toString());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "worker-tmp"));
    } catch (IOException e) {
      // the loader then uses java.io.tmpdir, shared but workable
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort at exit
    }
  }
}

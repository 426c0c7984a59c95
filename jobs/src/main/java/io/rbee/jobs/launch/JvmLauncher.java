package io.rbee.jobs.launch;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts one of rbee's programs as a child JVM with the same Java and the same classpath as
 * this process (so {@code ./rbee}, the daemons it starts and the tests all run one build).
 *
 * <p>A child given a {@code logFile} logs into it itself, rolling it over by size
 * ({@link #FILE_LOGGING}); what it writes to stdout and stderr outside its logger is appended
 * to the same file. Its stdin is empty, or a pipe from this process ({@link #stdinPipe()}).
 * The classpath is {@code -Drbee.classpath} when set, else this JVM's {@code java.class.path}.
 */
public final class JvmLauncher {
  /** The flag every child gets, followed by its main class: {@code -Drbee.program=…}. */
  public static final String PROGRAM_PROPERTY_FLAG = "-Drbee.program=";

  /** The system property naming a child's log file, for its logging setup. */
  public static final String LOG_FILE_PROPERTY = "rbee.log.file";

  /** The logging setup of a child with a log file: that file, rolled over by size. */
  public static final String FILE_LOGGING = "io/rbee/jobs/logs/logback-file.xml";

  private final List<String> jvmArgs = new ArrayList<>();
  private final List<String> args = new ArrayList<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private final List<String> unset = new ArrayList<>();
  private final String mainClass;
  private Path logFile;
  private boolean stdinPipe;

  private JvmLauncher(String mainClass) {
    this.mainClass = mainClass;
  }

  /** A launch of {@code mainClass} (e.g. {@code io.rbee.hive.HiveMain}). */
  public static JvmLauncher of(String mainClass) {
    return new JvmLauncher(mainClass);
  }

  public JvmLauncher jvmArg(String arg) {
    jvmArgs.add(arg);
    return this;
  }

  public JvmLauncher arg(String... more) {
    args.addAll(List.of(more));
    return this;
  }

  public JvmLauncher env(String key, String value) {
    env.put(key, value);
    return this;
  }

  /**
   * Leaves {@code key} out of the environment the child inherits from this process (unless
   * {@link #env} sets it): a test's daemons must not pick up a {@code RBEE_TOKEN} of the shell
   * that runs the tests.
   */
  public JvmLauncher withoutEnv(String key) {
    unset.add(key);
    return this;
  }

  /**
   * Gives the child a pipe as stdin instead of an empty one: the parent holds its write end
   * ({@link Process#getOutputStream()}) for as long as it lives, so the child reads end of file
   * exactly when the parent is gone (however it died) or closes that stream.
   */
  public JvmLauncher stdinPipe() {
    this.stdinPipe = true;
    return this;
  }

  public JvmLauncher logTo(Path file) {
    this.logFile = file;
    return this;
  }

  /** The full command line this launch runs. */
  public List<String> command() {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    // names the program early: Linux shows only the first 4096 bytes of a command line, and a
    // long classpath pushes the main class past them (ps, pid-file checks, tests read this)
    cmd.add(PROGRAM_PROPERTY_FLAG + mainClass);
    // small, quick-starting daemons: one GC thread set, modest heap
    cmd.add("-XX:+UseSerialGC");
    // the worker loads llama.cpp through JNI; Java 24+ warns on every load without this
    cmd.add("--enable-native-access=ALL-UNNAMED");
    if (logFile != null) {
      // the child's own logging writes (and rolls over) the file; see logback-file.xml
      cmd.add("-Dlogback.configurationFile=" + FILE_LOGGING);
      cmd.add("-D" + LOG_FILE_PROPERTY + "=" + logFile.toAbsolutePath());
    }
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(classpath());
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  /** Starts the process; its output goes to the log file (created with its folders). */
  public Process start() throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command());
    pb.redirectInput(stdinPipe ? ProcessBuilder.Redirect.PIPE
        : ProcessBuilder.Redirect.from(new File("/dev/null")));
    if (logFile != null) {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      pb.redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    } else {
      pb.redirectErrorStream(true);
      pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    }
    unset.forEach(pb.environment()::remove);
    pb.environment().putAll(env);
    return pb.start();
  }

  /** The Java binary running this process. */
  public static String javaBinary() {
    return ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** The classpath children get. */
  public static String classpath() {
    String cp = System.getProperty("rbee.classpath");
    return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
  }
}

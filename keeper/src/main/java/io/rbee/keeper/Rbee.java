package io.rbee.keeper;

import io.rbee.jobs.ExitCode;
import io.rbee.jobs.cli.CommandLines;
import io.rbee.keeper.output.Output;
import io.rbee.keeper.output.StderrLogs;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code rbee}, the command line of an rbee cluster: a thin client of the queen. Every command
 * that runs an operation submits it as a job and follows the job's stream live. Its commands
 * are {@link Subcommands#ALL}, added to the root one by one (only the one a command line names,
 * when it names one).
 */
@Command(
    name = "rbee",
    versionProvider = Version.class,
    description = "Drive an rbee LLM cluster: the queen, hives, models, workers and inference.",
    footerHeading = "%nEnvironment:%n",
    footer = {
      "  RBEE_HOME           where state lives: logs, pid files, models (default: ~/.rbee)",
      "  RBEE_QUEEN_URL      the queen's URL when --queen-url is not given (else the queen this",
      "                      RBEE_HOME started, while it runs, else http://127.0.0.1:8500)",
      "  RBEE_NO_AUTOSTART   1: never start a queen on the way",
      "  RBEE_TOKEN          the queen's token (default: $RBEE_HOME/token, which the queen makes)",
      "  NO_COLOR            never colour the output",
      "  RBEE_HF_ENDPOINT    a Hugging Face mirror (default: https://huggingface.co)",
      "  RBEE_LLAMA_LIB_DIR  a folder with a CUDA build of libjllama.so, for cuda:N workers",
      "The last two are read by hives: set them where the queen starts, its hives inherit them.",
      "",
      "Running rbee: docs/OPERATIONS.md. HTTP API: docs/API.md.",
    })
public final class Rbee {
  /**
   * The exit codes {@code rbee} ends with (of the one table, {@link ExitCode}), worded for its
   * {@code --help}.
   */
  static final Map<ExitCode, String> EXIT_CODES = exitCodes();

  @Mixin
  GlobalOptions globals;

  @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT,
      description = "Show this help and exit.")
  boolean help;

  @Option(names = {"-V", "--version"}, versionHelp = true,
      description = "Print the version and exit.")
  boolean version;

  /** The width of usage help (fixed, so docs/CLI.md does not depend on a terminal). */
  static final int USAGE_WIDTH = 100;

  private final Services services;

  Rbee(Services services) {
    this.services = services;
  }

  /** Runs {@code rbee} with {@code args} and exits with its exit code (the only exit). */
  public static void main(String[] args) {
    // before anything logs: the keeper's own quiet backend (warnings on stderr), never logback
    System.setProperty("slf4j.provider", StderrLogs.class.getName());
    System.setProperty("slf4j.internal.verbosity", "WARN"); // not "attempting to load provider"
    if (!Subcommands.isBareVersion(args)) {
      WarmUp.start();
    }
    PrintWriter out = utf8(FileDescriptor.out);
    PrintWriter err = utf8(FileDescriptor.err);
    int code = run(Services.system(), out, err, args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /** Runs {@code rbee} with {@code args}, writing to {@code out} and {@code err}; the exit code. */
  public static int run(Services services, PrintWriter out, PrintWriter err, String... args) {
    if (Subcommands.isBareVersion(args)) { // what picocli prints for -V, without its model
      for (String line : new Version().getVersion()) {
        out.println(line);
      }
      out.flush();
      return ExitCode.OK.code();
    }
    CommandLine cmd = commandLine(services, Subcommands.needed(args).orElse(Subcommands.ALL));
    cmd.setOut(out);
    cmd.setErr(err);
    return cmd.execute(args);
  }

  /** The whole command tree with its exception handler and help footer, writers not yet set. */
  public static CommandLine commandLine(Services services) {
    return commandLine(services, Subcommands.ALL);
  }

  /** The root with the top-level {@code commands} only (what one command line needs). */
  private static CommandLine commandLine(Services services, List<Class<?>> commands) {
    CommandLine cmd = new CommandLine(new Rbee(services));
    for (Class<?> command : commands) {
      cmd.addSubcommand(command); // before the settings below: they reach the commands added
    }
    Map<String, String> codes = new LinkedHashMap<>();
    EXIT_CODES.forEach((code, text) -> codes.put(Integer.toString(code.code()), text));
    cmd.getCommandSpec().usageMessage()
        .exitCodeListHeading("%nExit codes:%n")
        .exitCodeList(codes);
    cmd.setExecutionExceptionHandler(new Failures());
    cmd.setParameterExceptionHandler(CommandLines::usageError);
    cmd.setUsageHelpWidth(USAGE_WIDTH);
    return cmd;
  }

  Services services() {
    return services;
  }

  GlobalOptions globals() {
    return globals;
  }

  /** The output of one command: its writers, colour only on a terminal without --no-color. */
  Output output(CommandLine command) {
    boolean color = services.terminal() && !globals.noColor()
        && !services.env().containsKey("NO_COLOR");
    return new Output(command.getOut(), command.getErr(), services.terminal(), color);
  }

  private static PrintWriter utf8(FileDescriptor fd) {
    return new PrintWriter(
        new OutputStreamWriter(new FileOutputStream(fd), StandardCharsets.UTF_8), true);
  }

  private static Map<ExitCode, String> exitCodes() {
    Map<ExitCode, String> m = new LinkedHashMap<>();
    m.put(ExitCode.OK, "the job succeeded");
    m.put(ExitCode.FAILED, "the job failed (\"error: <reason>\" is the last line on stderr)");
    m.put(ExitCode.USAGE, "usage error (bad option, argument or operation)");
    m.put(ExitCode.CANCELLED, "the job was cancelled");
    m.put(ExitCode.UNREACHABLE, "queen unreachable, or the stream broke before the job's end");
    m.put(ExitCode.UNAUTHORIZED, "the queen refused the token, or there is none (the message"
        + " says which it used)");
    return Collections.unmodifiableMap(m);
  }
}

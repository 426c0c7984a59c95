package io.rbee.jobs.cli;

import io.rbee.jobs.ExitCode;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Builds the picocli command line of an rbee program. A usage error (an unknown option, a
 * missing or bad value, one a command rejects itself with {@link #usage}) prints what was
 * wrong, then picocli's suggestions when it has some ("did you mean"), else the command's
 * usage, on stderr, and ends with {@link ExitCode#USAGE}; {@code --help} prints the usage on
 * stdout and ends with {@link ExitCode#OK}.
 */
public final class CommandLines {
  private CommandLines() {}

  /** {@code command} (a picocli-annotated object) as a command line in rbee's style. */
  public static CommandLine of(Object command) {
    CommandLine cmd = new CommandLine(command);
    cmd.setParameterExceptionHandler(CommandLines::usageError);
    return cmd;
  }

  /** The parameter-exception handler of every rbee command line (see the class javadoc). */
  public static int usageError(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(ex.getMessage());
    if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
      cmd.usage(err);
    } else {
      err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
    }
    err.flush();
    return ExitCode.USAGE.code();
  }

  /** A usage error of {@code spec}'s command saying {@code message} (name the bad value). */
  public static ParameterException usage(CommandSpec spec, String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** {@code port} when it is 0..65535 (0: a free one), else a usage error naming it. */
  public static int port(CommandSpec spec, String option, int port) {
    if (port < 0 || port > 65535) {
      throw usage(spec, option + " must be 0..65535, got " + port);
    }
    return port;
  }
}

package io.rbee.keeper;

import io.rbee.jobs.ExitCode;
import io.rbee.jobs.InvalidOperationException;
import io.rbee.jobs.client.JobClientException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * The one place that turns what a command threw into a line on stderr and an exit code;
 * never a stack trace. Usage errors found while parsing are picocli's (message, usage, 2).
 */
public final class Failures implements IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
    int code = exitCode(ex);
    PrintWriter err = cmd.getErr();
    err.println("error: " + message(ex));
    if (code == ExitCode.USAGE.code()) {
      err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more.");
    }
    err.flush();
    return code;
  }

  /** The exit code {@code ex} ends {@code rbee} with. */
  public static int exitCode(Throwable ex) {
    if (ex instanceof KeeperException k) {
      return k.exitCode();
    }
    if (ex instanceof InvalidOperationException || ex instanceof CommandLine.ParameterException) {
      return ExitCode.USAGE.code();
    }
    if (ex instanceof JobClientException j) {
      return switch (j.kind()) {
        case UNREACHABLE, STREAM_BROKEN, PROTOCOL -> ExitCode.UNREACHABLE.code();
        case REJECTED -> j.httpStatus() == 400 ? ExitCode.USAGE.code() : ExitCode.FAILED.code();
        case NOT_FOUND -> ExitCode.FAILED.code();
        case UNAUTHORIZED -> ExitCode.UNAUTHORIZED.code();
      };
    }
    return ExitCode.FAILED.code();
  }

  static String message(Throwable ex) {
    String message = ex.getMessage();
    if (message == null || message.isBlank()) {
      return ex.getClass().getSimpleName();
    }
    // one line: the first of a multi-line message (the rest is detail for a log)
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}

package io.rbee.testkit.cli;

import io.rbee.jobs.cli.CommandLines;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One run of a program's picocli command in this JVM, the way its {@code main} would run it
 * ({@link CommandLines#of}), with what it printed: its exit code, stdout and stderr.
 */
public record CliRun(int exit, String out, String err) {
  /** Runs {@code command} (a {@code @Command} object) with {@code args}. */
  public static CliRun of(Object command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = CommandLines.of(command);
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int exit = cmd.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }
}

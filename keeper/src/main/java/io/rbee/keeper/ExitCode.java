package io.rbee.keeper;

/** The exit codes of {@code rbee}, one meaning each (listed in {@code rbee --help}). */
public final class ExitCode {
  /** The job (or command) succeeded. */
  public static final int OK = 0;
  /** The job failed; {@code error: <reason>} is the last line on stderr. */
  public static final int FAILED = 1;
  /** The command line (or the operation it describes) is not valid. */
  public static final int USAGE = 2;
  /** The job was cancelled. */
  public static final int CANCELLED = 3;
  /** The queen did not answer, or a job stream broke before its end. */
  public static final int UNREACHABLE = 4;

  /** The {@code exitCodeList} of the root command's help, in picocli's "code:text" form. */
  static final String[] HELP = {
    "0:the job succeeded",
    "1:the job failed (\"error: <reason>\" is the last line on stderr)",
    "2:usage error (bad option, argument or operation)",
    "3:the job was cancelled",
    "4:queen unreachable, or the stream broke before the job's end",
  };

  private ExitCode() {}
}

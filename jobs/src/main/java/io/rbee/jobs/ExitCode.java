package io.rbee.jobs;

import java.util.Optional;

/**
 * The exit codes of every rbee program ({@code rbee}, {@code queen-rbee}, {@code rbee-hive},
 * {@code llm-worker-rbee}), one meaning each; docs/OPERATIONS.md lists them. A program uses
 * the ones that fit it: the keeper 0–4 and 7, the daemons 0–2, the worker 0–2, 5 and 6. The
 * hive reads its workers' codes back with {@link #of(int)}.
 */
public enum ExitCode {
  /** Success: the job succeeded ({@code rbee}), or a daemon stopped by a signal or --help. */
  OK(0, "success (rbee: the job succeeded; a daemon: stopped by SIGTERM/SIGINT, or --help)"),
  /** A failure with its reason on stderr: the job failed, or a daemon could not start. */
  FAILED(1, "failure, the reason is the last line on stderr (rbee: the job failed; a daemon or"
      + " worker: it could not start or stopped on an error)"),
  /** The command line (or the operation it describes) is not valid; usage is on stderr. */
  USAGE(2, "usage error: a bad option, argument or operation (the usage is printed on stderr)"),
  /** {@code rbee}: the job was cancelled. */
  CANCELLED(3, "rbee: the job was cancelled"),
  /** {@code rbee}: the queen did not answer, or a job stream broke before its end. */
  UNREACHABLE(4, "rbee: the queen did not answer, or the stream broke before the job's end"),
  /** Worker: the model file is missing or llama.cpp cannot load it. */
  INVALID_MODEL(5, "worker: the model file is missing, not a valid GGUF, or llama.cpp could not"
      + " load it"),
  /** Worker: a {@code cuda:N} device was asked for and cannot be used. */
  CUDA_UNAVAILABLE(6, "worker: the cuda:N device cannot be used (no CUDA build of llama.cpp, no"
      + " such GPU, no CUDA runtime)"),
  /** {@code rbee}: the queen refused the token the keeper sent, or the keeper had none. */
  UNAUTHORIZED(7, "rbee: the queen refused the token (401): RBEE_TOKEN or $RBEE_HOME/token is"
      + " not the queen's installation's, or there is none");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  /** The process exit status. */
  public int code() {
    return code;
  }

  /** What the code means, for people (docs/OPERATIONS.md). */
  public String meaning() {
    return meaning;
  }

  /** The code with status {@code code}; empty for one no rbee program uses (137: SIGKILL). */
  public static Optional<ExitCode> of(int code) {
    for (ExitCode c : values()) {
      if (c.code == code) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}

package io.rbee.gguf;

import java.nio.file.Path;

/**
 * A file that is not a usable GGUF model. The message names the file and says what is wrong in
 * words a user can act on, e.g. {@code "/m/x.gguf is not a GGUF file (starts with 3c68746d,
 * expected 'GGUF')"}.
 */
public class InvalidGgufException extends Exception {
  private final Path file;

  public InvalidGgufException(Path file, String problem) {
    super(file + " " + problem);
    this.file = file;
  }

  public InvalidGgufException(Path file, String problem, Throwable cause) {
    super(file + " " + problem, cause);
    this.file = file;
  }

  /** The file the problem is in. */
  public Path file() {
    return file;
  }
}

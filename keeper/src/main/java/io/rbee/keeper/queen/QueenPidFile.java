package io.rbee.keeper.queen;

import io.rbee.narration.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/** Reads and writes {@code run/queen.json}; an unreadable file counts as absent. */
final class QueenPidFile {
  private final Path file;

  QueenPidFile(Path file) {
    this.file = file;
  }

  Optional<QueenRecord> read() {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      // read as a string: the parser of strings is the one WarmUp has made ready
      return Optional.of(Json.MAPPER.readValue(Files.readString(file), QueenRecord.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Writes atomically (a temporary file moved over the old one). */
  void write(QueenRecord rec) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(rec));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + file, e);
    }
  }

  void delete() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a pid file we cannot delete is found stale next time
    }
  }
}

package io.rbee.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.narration.Json;
import java.nio.file.Files;
import java.nio.file.Path;

/** Cleans up a queen the keeper started in a test, whatever the test's outcome. */
final class QueenPidFile {
  private QueenPidFile() {}

  static void killIfRunning(Path home) throws Exception {
    Path file = home.resolve("run").resolve("queen.json");
    if (!Files.exists(file)) {
      return;
    }
    JsonNode node = Json.MAPPER.readTree(file.toFile());
    ProcessHandle.of(node.path("pid").asLong()).ifPresent(p -> {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    });
  }
}

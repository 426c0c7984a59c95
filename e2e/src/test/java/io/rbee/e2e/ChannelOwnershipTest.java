package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The seed's rule, checked on the sources as the seed checked it: only the code that creates
 * jobs (the shared job server) opens job channels; operation code — hive, queen, worker — and
 * the keeper never do. They get a job id through a JobContext and narrate with it.
 */
class ChannelOwnershipTest {
  private static final Pattern OPENS_A_CHANNEL = Pattern.compile(
      "Broadcaster\\s*\\.\\s*global\\(\\)\\s*\\.\\s*open\\(|broadcaster\\(\\)\\s*\\.\\s*open\\(");

  @Test
  void onlyTheJobServerOpensJobChannels() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<Path> openers;
    try (Stream<Path> files = Files.walk(root)) {
      openers = files
          .filter(p -> p.toString().endsWith(".java"))
          .filter(p -> p.toString().contains("/src/main/java/"))
          .map(root::relativize)
          // test fixtures and benchmarks stand in for the job's creator on purpose
          .filter(p -> !p.startsWith("testkit") && !p.startsWith("bench"))
          .filter(p -> contains(root.resolve(p), OPENS_A_CHANNEL))
          .toList();
    }
    assertThat(openers).containsExactly(
        Path.of("jobs/src/main/java/io/rbee/jobs/server/JobServer.java"));
  }

  private static boolean contains(Path file, Pattern pattern) {
    try {
      return pattern.matcher(Files.readString(file)).find();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

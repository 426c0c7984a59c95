package io.rbee.hive.workers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {
  @TempDir Path dir;

  @Test
  void returnsTheLastLinesOfALargeFileInOrder() throws Exception {
    Path log = dir.resolve("w.log");
    Files.writeString(log, IntStream.rangeClosed(1, 20_000).mapToObj(i -> "line " + i)
        .collect(Collectors.joining("\n", "", "\n")));

    assertThat(LogTail.lastLines(log, 3)).containsExactly("line 19998", "line 19999",
        "line 20000");
    assertThat(LogTail.lastLines(log, 1)).containsExactly("line 20000");
  }

  @Test
  void aLastLineWithoutNewlineCountsAndShortFilesGiveWhatTheyHave() throws Exception {
    Path log = dir.resolve("w.log");
    Files.writeString(log, "a\nb\nc");

    assertThat(LogTail.lastLines(log, 2)).containsExactly("b", "c");
    assertThat(LogTail.lastLines(log, 10)).containsExactly("a", "b", "c");
  }

  @Test
  void missingOrEmptyFilesHaveNoLines() throws Exception {
    assertThat(LogTail.lastLines(dir.resolve("none.log"), 5)).isEmpty();
    Path empty = Files.createFile(dir.resolve("empty.log"));
    assertThat(LogTail.lastLines(empty, 5)).isEmpty();
  }
}

package io.rbee.bench;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.Operation;
import io.rbee.jobs.client.JobClient;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.testkit.http.FileServer;
import java.nio.file.Files;
import java.nio.file.Path;

/** The queen jobs the benchmarks set themselves up with, each failing loudly. */
final class QueenJobs {
  private QueenJobs() {}

  /** Runs {@code op} on {@code queen}; throws {@link IllegalStateException} unless it succeeds. */
  static void run(JobClient queen, Operation op) throws Exception {
    Done done = queen.run(op, e -> {});
    if (done.status() != JobStatus.SUCCEEDED) {
      throw new IllegalStateException(op.name() + " on " + queen.baseUrl() + " ended "
          + done.status() + ": " + done.error());
    }
  }

  /** Downloads {@code source} into {@code queen}'s hive {@code localhost}; the model's id. */
  static String download(JobClient queen, String source) throws Exception {
    String[] result = {null};
    Done done = queen.run(new Operation.ModelDownload("localhost", source), e -> {
      if (JobEvent.RESULT.equals(e.event())) {
        result[0] = e.data();
      }
    });
    if (done.status() != JobStatus.SUCCEEDED || result[0] == null) {
      throw new IllegalStateException("ModelDownload " + source + " on " + queen.baseUrl()
          + " ended " + done.status() + ": " + done.error());
    }
    return Json.read(result[0], ModelInfo.class).id();
  }

  /** Serves {@code file} from {@code files}; the URL a hive downloads it from. */
  static String serve(FileServer files, Path file) throws Exception {
    String path = "/models/" + file.getFileName();
    files.serve(path, Files.readAllBytes(file));
    return files.url(path).toString();
  }
}

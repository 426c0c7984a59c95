package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.HiveInfo;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.client.JobClient;
import io.rbee.narration.JobEvent;
import io.rbee.narration.Json;
import io.rbee.narration.sse.SseEvent;

/** Reading the {@code result} events of finished jobs. */
final class JobRunResults {
  private JobRunResults() {}

  static <T> T lastResult(JobRun run, Class<T> type) {
    SseEvent result = run.events().stream()
        .filter(e -> JobEvent.RESULT.equals(e.event()))
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no result in:\n" + run.transcript()));
    return Json.read(result.data(), type);
  }

  static HiveInfo hiveInfo(JobClient queen, String hiveId) throws Exception {
    JobRun run = JobRun.of(queen, new Operation.HiveStatus(hiveId));
    assertThat(run.done().status()).as(run.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    return lastResult(run, HiveInfo.class);
  }
}

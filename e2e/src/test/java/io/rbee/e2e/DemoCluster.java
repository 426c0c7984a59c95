package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.JobStatus;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.Operation;
import io.rbee.testkit.daemons.Daemon;
import io.rbee.testkit.daemons.FreePorts;
import java.nio.file.Path;

/**
 * What many end-to-end tests start from: a queen (a real process) with its hive
 * {@code localhost} started and the demo model in that hive's catalog. Close the queen when
 * done; it stops the hive and its workers.
 */
record DemoCluster(Daemon queen, ModelInfo demo) {
  static DemoCluster start(Path home, String... queenArgs) throws Exception {
    Daemon queen = Daemon.queen(home, queenArgs);
    try {
      JobRun hive = JobRun.of(queen.client(),
          new Operation.HiveStart("localhost", FreePorts.next()));
      assertThat(hive.done().status()).as(hive.transcript()).isEqualTo(JobStatus.SUCCEEDED);
      JobRun download = JobRun.of(queen.client(),
          new Operation.ModelDownload("localhost", "demo"));
      assertThat(download.done().status()).as(download.transcript())
          .isEqualTo(JobStatus.SUCCEEDED);
      return new DemoCluster(queen, JobRunResults.lastResult(download, ModelInfo.class));
    } catch (Exception | AssertionError e) {
      queen.close();
      throw e;
    }
  }
}

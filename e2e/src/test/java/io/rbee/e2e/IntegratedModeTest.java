package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.client.JobClient;
import io.rbee.narration.Narration;
import io.rbee.testkit.daemons.Daemon;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code queen --local-hive}: the hive's code runs inside the queen with the queen's job id. */
class IntegratedModeTest {
  @TempDir Path home;
  Daemon queen;
  JobClient client;

  @BeforeEach
  void startQueen() throws Exception {
    queen = Daemon.queen(home, "--local-hive");
    client = queen.client();
  }

  @AfterEach
  void stop() {
    queen.close();
  }

  @Test
  void hiveCheckRunsInsideTheQueenWithoutAHiveProcess() throws Exception {
    JobRun run = JobRun.of(client, new Operation.HiveCheck("localhost"));

    assertThat(run.done().status()).as(run.transcript()).isEqualTo(JobStatus.SUCCEEDED);
    List<String> hiveActions = run.actions("hive");
    assertThat(hiveActions).hasSizeGreaterThanOrEqualTo(4).doesNotHaveDuplicates()
        .startsWith("hive_check_start").endsWith("hive_check_done");
    assertThat(run.narration()).extracting(Narration::jobId).containsOnly(run.submitted().jobId());
    // no hive daemon: the queen started no process at all
    assertThat(queen.process().descendants().toList()).isEmpty();
  }

  @Test
  void hiveStartInIntegratedModeSaysThereIsNothingToStart() throws Exception {
    JobRun run = JobRun.of(client, new Operation.HiveStart("localhost", null));

    assertThat(run.done().status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(run.narration()).anySatisfy(
        n -> assertThat(n.human()).contains("integrated mode"));
    assertThat(queen.process().descendants().toList()).isEmpty();
  }
}

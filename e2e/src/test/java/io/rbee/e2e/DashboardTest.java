package io.rbee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.jobs.JobInfo;
import io.rbee.jobs.JobStatus;
import io.rbee.testkit.daemons.Daemon;
import io.rbee.testkit.http.FileServer;
import io.rbee.testkit.models.TinyModels;
import io.rbee.testkit.net.TcpProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser (headless Chromium, driven by {@code dashboard.mjs}) against
 * a real queen with its hive, through a TCP proxy the test cuts: the page logs in with the
 * token, shows the hive, follows a download's narration and progress live, and survives its
 * stream being cut mid-job without losing or repeating an event, then runs a prompt whose
 * answer streams in and whose worker then shows its tokens/s. The screenshots stay at
 * {@code e2e/target/dashboard/dashboard.png} (the end) and {@code dashboard-download.png}.
 */
class DashboardTest {
  static final Path OUT = Path.of("target/dashboard").toAbsolutePath();

  @TempDir Path home;

  @Test
  void theDashboardLogsInFollowsAJobLiveThroughCutConnectionsAndRunsAPrompt()
      throws Exception {
    DashboardScript.requireTools(); // before minutes of set-up: say what is missing at once
    Files.createDirectories(OUT);
    Files.deleteIfExists(OUT.resolve("dashboard.png"));
    Files.deleteIfExists(OUT.resolve("dashboard-download.png"));
    DemoCluster cluster = DemoCluster.start(home);
    Daemon queen = cluster.queen();
    byte[] model = Files.readAllBytes(TinyModels.tiny(home, 11));
    try (queen; FileServer files = FileServer.start();
        TcpProxy proxy = TcpProxy.to(queen.port())) {
      files.serve("/slow.gguf", model);
      files.throttle("/slow.gguf", Math.max(1, model.length / 15)); // ~15 s of progress
      List<Integer> openAtCut = new ArrayList<>();

      JsonNode r = DashboardScript.run(Map.of(
          "DASH_URL", proxy.url(),
          "DASH_TOKEN", queen.token().value(),
          "DASH_MODEL_URL", files.url("/slow.gguf").toString(),
          "DASH_OUT", OUT.toString()), () -> {
            openAtCut.add(proxy.openConnections());
            proxy.cutAll();
          }, OUT.resolve("dashboard-stderr.log"), 240);

      assertThat(r.path("ok").asBoolean()).as(r.toPrettyString()).isTrue();
      assertThat(r.path("consoleErrors")).as("no CSP violation or script error").isEmpty();
      assertThat(r.path("hiveRow").asText()).contains("localhost").contains("running")
          .contains("fresh").contains("cpu");
      assertThat(r.path("scriptReadable").asText()).as("nothing of the login a script reads")
          .isEqualTo("{\"cookie\":\"\",\"local\":{},\"session\":{}}")
          .doesNotContain(queen.token().value());
      assertThat(r.path("url").asText()).doesNotContain(queen.token().value());

      String jobId = r.path("jobId").asText();
      JobInfo info = queen.client().status(jobId);
      assertThat(info.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(r.path("done").asText()).isEqualTo("succeeded");
      List<Long> shown = new ArrayList<>();
      r.path("ids").forEach(id -> shown.add(id.asLong()));
      assertThat(shown).as("every event of the job, once, in order")
          .containsExactlyElementsOf(LongStream.rangeClosed(1, info.lastEventId()).boxed()
              .toList());
      assertThat(r.path("inOrder").asBoolean()).as("shown in the order they came").isTrue();
      assertThat(r.path("duplicates").asInt()).as("events received twice").isZero();

      assertThat(r.path("cuts")).as("cuts while the job ran").isNotEmpty()
          .allSatisfy(c -> assertThat(c.path("doneBefore").isNull()).isTrue());
      assertThat(proxy.cuts()).isEqualTo(r.path("cuts").size());
      assertThat(openAtCut).as("each cut closed live connections").allMatch(n -> n > 0);
      assertThat(r.path("opens").asInt()).as("the EventSource reconnected after each cut")
          .isEqualTo(r.path("cuts").size() + 1);
      assertThat(r.path("progressBar").asText()).contains("100 %");
      assertThat(r.path("jobRow").asText()).contains("ModelDownload").contains("succeeded");
      assertThat(OUT.resolve("dashboard-download.png")).isNotEmptyFile();

      JsonNode infer = r.path("infer");
      JobInfo inferInfo = queen.client().status(infer.path("jobId").asText());
      assertThat(infer.path("done").asText()).isEqualTo("succeeded");
      List<Long> inferShown = new ArrayList<>();
      infer.path("ids").forEach(id -> inferShown.add(id.asLong()));
      assertThat(inferShown).as("the prompt's events, tokens included, once, in order")
          .containsExactlyElementsOf(LongStream.rangeClosed(1, inferInfo.lastEventId()).boxed()
              .toList());
      assertThat(infer.path("inOrder").asBoolean()).isTrue();
      assertThat(infer.path("duplicates").asInt()).isZero();
      assertThat(infer.path("answer").asText()).as("the streamed answer").isNotBlank();
      assertThat(r.path("workerRow").asText()).as("the worker with its tokens/s")
          .contains("demo").contains("ready").containsPattern("\\t[0-9]+\\.[0-9]\\t");
      assertThat(OUT.resolve("dashboard.png")).isNotEmptyFile();
    }
  }
}

package io.rbee.jobs.client;

import static io.rbee.jobs.auth.TestToken.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rbee.jobs.Done;
import io.rbee.jobs.JobStatus;
import io.rbee.jobs.Operation;
import io.rbee.jobs.Submitted;
import io.rbee.jobs.client.JobClientException.Kind;
import io.rbee.jobs.server.OperationHandler;
import io.rbee.narration.JobEvent;
import io.rbee.narration.sse.SseEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link JobClient#run}: a job submitted and streamed in one request, resumed like a follow. */
class JobClientRunTest {
  private final CountDownLatch release = new CountDownLatch(1);
  // "POST /v1/jobs", "GET /v1/jobs/job-…/stream": what the client sent, in order
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private TestJobDaemon daemon;

  private void start(OperationHandler handler) {
    daemon = new TestJobDaemon(handler);
  }

  @AfterEach
  void stop() {
    release.countDown();
    daemon.close();
  }

  /** An HTTP client that notes every request, and drops its Accept header when told. */
  private OkHttpClient recording(boolean dropAccept) {
    return new OkHttpClient.Builder().addInterceptor(chain -> {
      requests.add(chain.request().method() + " " + chain.request().url().encodedPath());
      return chain.proceed(dropAccept
          ? chain.request().newBuilder().removeHeader("Accept").build()
          : chain.request());
    }).build();
  }

  @Test
  void runSubmitsAndStreamsTheJobInOneRequest() throws Exception {
    start((op, job) -> {
      job.token("a");
      job.token("b");
    });
    JobClient client = new JobClient(daemon.http.baseUrl(), recording(false), TOKEN);
    List<String> seen = new CopyOnWriteArrayList<>();

    Done done = client.run(new Operation.Status(), s -> seen.add("submitted " + s.jobId()),
        e -> seen.add(e.event()));

    assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(requests).containsExactly("POST /v1/jobs");
    assertThat(seen).first().isEqualTo("submitted " + done.jobId());
    assertThat(seen).containsSubsequence(JobEvent.TOKEN, JobEvent.TOKEN, JobEvent.DONE)
        .last().isEqualTo(JobEvent.DONE);
  }

  @Test
  void aSubmitStreamThatIsCutResumesWithoutLosingOrRepeatingEvents() throws Exception {
    start(TestJobDaemon.fiveTokensThenFiveMore(release));
    try (CuttingProxy proxy = new CuttingProxy(daemon.http.port())) {
      JobClient client = new JobClient(proxy.baseUrl(), recording(false), TOKEN);
      List<SseEvent> events = new CopyOnWriteArrayList<>();

      Done done = client.run(new Operation.Status(), TestJobDaemon.cuttingAtTheFifth(events, proxy, release));

      assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
      TestJobDaemon.assertEveryEventOnceInOrder(events);
      assertThat(requests).hasSizeGreaterThanOrEqualTo(2).first().isEqualTo("POST /v1/jobs");
      assertThat(requests.get(1)).isEqualTo("GET /v1/jobs/" + done.jobId() + "/stream");
    }
  }

  @Test
  void aDaemonThatAnswersTheSubmitWithJsonIsFollowedWithASecondRequest() throws Exception {
    start((op, job) -> job.token("a"));
    // the Accept header dropped on the way: the daemon answers as one from before the stream
    JobClient client = new JobClient(daemon.http.baseUrl(), recording(true), TOKEN);
    String[] submitted = {null};

    Done done = client.run(new Operation.Status(), s -> submitted[0] = s.jobId(), e -> { });

    assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(submitted[0]).isEqualTo(done.jobId());
    assertThat(requests).containsExactly("POST /v1/jobs",
        "GET /v1/jobs/" + done.jobId() + "/stream");
  }

  @Test
  void aRefusedSubmitThrowsTheRefusalAndTellsNoJob() {
    start((op, job) -> { });
    JobClient client = new JobClient(daemon.http.baseUrl(), TOKEN);
    List<Submitted> submitted = new CopyOnWriteArrayList<>();

    JobClientException e = catchThrowableOfType(JobClientException.class,
        () -> client.run(new Operation.HiveCheck(null), submitted::add, ev -> { }));

    assertThat(e.kind()).isEqualTo(Kind.REJECTED);
    assertThat(e.httpStatus()).isEqualTo(400);
    assertThat(e.getMessage()).contains("HiveCheck");
    assertThat(submitted).isEmpty();
  }
}

package io.rbee.jobs.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.Submitted;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/jobs} with {@code Accept: text/event-stream}: the submit answers the stream. */
class SubmitStreamTest {
  private static final String STATUS = "{\"operation\": {\"Status\": {}}}";

  private final TestDaemon daemon = new TestDaemon((op, job) -> {
    job.narrate("step").human("working").emit();
    job.token("hi");
  });

  @AfterEach
  void close() {
    daemon.close();
  }

  private Response submit(String query, String body) throws IOException {
    return Http.CLIENT.newCall(new Request.Builder()
        .url(daemon.baseUrl() + "/v1/jobs" + query)
        .header("Accept", "text/event-stream")
        .post(RequestBody.create(body, MediaType.get("application/json"))).build()).execute();
  }

  @Test
  void theAnswerIsTheJobsStreamFromItsFirstEventToDoneWithItsIdInAHeader() throws Exception {
    try (Response r = submit("", STATUS)) {
      String id = r.header(Submitted.JOB_ID_HEADER);
      String body = r.body().string();

      assertThat(r.code()).isEqualTo(200);
      assertThat(r.header("Content-Type")).startsWith("text/event-stream");
      assertThat(id).startsWith("job-");
      assertThat(body).startsWith("id: 1\n").contains("\"action\":\"step\"")
          .contains("event: token\ndata: {\"text\":\"hi\"}")
          .contains("event: done\ndata: {\"job_id\":\"" + id + "\",\"status\":\"succeeded\"");
    }
  }

  @Test
  void aBadStreamParameterIsRefusedBeforeTheJobStarts() throws Exception {
    int before = daemon.jobs.list(JobFilter.ALL).jobs().size();

    try (Response r = submit("?keepalive_ms=soon", STATUS)) {
      assertThat(r.code()).isEqualTo(400);
      assertThat(r.body().string()).contains("\"code\":\"invalid_keepalive\"");
    }
    try (Response r = submit("?merge_tokens=maybe", STATUS)) {
      assertThat(r.code()).isEqualTo(400);
      assertThat(r.body().string()).contains("\"code\":\"invalid_merge_tokens\"");
    }
    assertThat(daemon.jobs.list(JobFilter.ALL).jobs()).hasSize(before);
  }

  @Test
  void aSubmitThatAcceptsJsonStillGetsTheJobIdAsJson() throws Exception {
    Http.Answer a = Http.post(daemon.baseUrl() + "/v1/jobs", STATUS);

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.contentType()).startsWith("application/json");
    assertThat(a.json().get("job_id").asText()).startsWith("job-");
  }
}

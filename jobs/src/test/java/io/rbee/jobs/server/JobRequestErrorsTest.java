package io.rbee.jobs.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.jobs.Operation;
import io.rbee.jobs.auth.TestToken;
import io.rbee.jobs.client.JobClient;
import io.rbee.jobs.client.JobClientException;
import io.rbee.jobs.client.JobClientException.Kind;
import java.net.ServerSocket;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobRequestErrorsTest {
  private static TestDaemon daemon;

  @BeforeAll
  static void start() {
    daemon = new TestDaemon((op, job) -> {});
  }

  @AfterAll
  static void stop() {
    daemon.close();
  }

  @Test
  void malformedJsonIs400InvalidJsonWithTheParsersReason() throws Exception {
    Http.Answer a = Http.post(daemon.baseUrl() + "/v1/jobs", "{\"operation\": {\"Status\": ");

    assertErrorBody(a, 400, "invalid_json");
    assertThat(message(a)).startsWith("request body is not JSON: ").contains("line 1");
  }

  @Test
  void bodyWithoutOneOperationIs400InvalidRequest() throws Exception {
    Http.Answer a = Http.post(daemon.baseUrl() + "/v1/jobs", "{\"op\": {}}");

    assertErrorBody(a, 400, "invalid_request");
    assertThat(message(a)).contains("{\"operation\": {\"<Name>\": {...}}}");
  }

  @Test
  void unknownOperationIs400ListingTheAcceptedOnesInContractOrder() throws Exception {
    Http.Answer a = Http.post(daemon.baseUrl() + "/v1/jobs", "{\"operation\": {\"Foo\": {}}}");

    assertErrorBody(a, 400, "unknown_operation");
    assertThat(message(a)).isEqualTo("unknown operation \"Foo\"");
    assertThat(expected(a)).containsExactly("Status", "HiveCheck", "WorkerSpawn", "Infer");
  }

  @Test
  void knownOperationThisDaemonDoesNotRunIs400UnknownOperation() throws Exception {
    Http.Answer a =
        Http.post(daemon.baseUrl() + "/v1/jobs", "{\"operation\": {\"ModelList\": {}}}");

    assertErrorBody(a, 400, "unknown_operation");
    assertThat(message(a)).isEqualTo("operation \"ModelList\" is not run by testd");
    assertThat(expected(a)).containsExactly("Status", "HiveCheck", "WorkerSpawn", "Infer");
  }

  @Test
  void operationFailingValidationIs400InvalidOperationNamingTheValue() throws Exception {
    Http.Answer a = Http.post(daemon.baseUrl() + "/v1/jobs",
        "{\"operation\": {\"WorkerSpawn\": {\"model\": \"tiny\", \"device\": \"gpu\"}}}");

    assertErrorBody(a, 400, "invalid_operation");
    assertThat(message(a)).startsWith("WorkerSpawn: device must be").contains("got \"gpu\"");
  }

  @Test
  void fieldOfTheWrongTypeIs400InvalidOperationNamingTheField() throws Exception {
    Http.Answer a = Http.post(daemon.baseUrl() + "/v1/jobs",
        "{\"operation\": {\"Infer\": {\"model\": \"m\", \"prompt\": \"p\", \"max_tokens\": \"lots\"}}}");

    assertErrorBody(a, 400, "invalid_operation");
    assertThat(message(a)).startsWith("Infer: field max_tokens: ").contains("lots");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      a fraction for an integer     | "max_tokens": 1.5     | max_tokens | must be an integer, got 1.5
      a whole float for an integer  | "max_tokens": 2.0     | max_tokens | must be an integer, got 2.0
      a string for an integer       | "max_tokens": "12"    | max_tokens | must be an integer, got "12"
      a boolean for an integer      | "max_tokens": true    | max_tokens | must be an integer, got true
      a string for a number         | "temperature": "0.5"  | temperature | must be a number, got "0.5"
      a boolean for a number        | "top_p": false        | top_p      | must be a number, got false
      a string for a long           | "seed": "42"          | seed       | must be an integer, got "42"
      a number for a string         | "model": 12           | model      | must be a string, got 12
      a boolean for a string        | "prompt": true        | prompt     | must be a string, got true
      a number in a list of strings | "stop": ["a", 7]      | stop[1]    | must be a string, got 7
      a string for a list           | "stop": "a"           | stop       | must be a list, got "a"
      """)
  void aValueOfTheWrongJsonTypeIs400NamingTheFieldNeverConverted(String what, String field,
      String name, String says) throws Exception {
    String fields = "\"model\": \"m\", \"prompt\": \"p\"";
    if (!field.startsWith("\"model\"") && !field.startsWith("\"prompt\"")) {
      fields += ", " + field;
    } else {
      fields = field + (field.startsWith("\"model\"") ? ", \"prompt\": \"p\"" : ", \"model\": \"m\"");
    }
    Http.Answer a = Http.post(daemon.baseUrl() + "/v1/jobs",
        "{\"operation\": {\"Infer\": {" + fields + "}}}");

    assertErrorBody(a, 400, "invalid_operation");
    assertThat(message(a)).isEqualTo("Infer: field " + name + ": " + says);
  }

  @Test
  void anIntegerWhereAFractionBelongsIsANumberAndAccepted() throws Exception {
    Http.Answer a = Http.post(daemon.baseUrl() + "/v1/jobs", "{\"operation\": {\"Infer\": "
        + "{\"model\": \"m\", \"prompt\": \"p\", \"temperature\": 0, \"top_p\": 1}}}");

    assertThat(a.status()).as(a.body()).isEqualTo(200);
  }

  @Test
  void operationWithNullFieldsIsAccepted() throws Exception {
    Http.Answer a =
        Http.post(daemon.baseUrl() + "/v1/jobs", "{\"operation\": {\"Status\": null}}");

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().get("job_id").asText()).startsWith("job-");
  }

  @Test
  void unknownJobIs404JsonForInfoStreamAndCancel() throws Exception {
    String job = daemon.baseUrl() + "/v1/jobs/job-nope";
    for (Http.Answer a : List.of(Http.get(job), Http.get(job + "/stream"), Http.delete(job))) {
      assertErrorBody(a, 404, "job_not_found");
      assertThat(message(a)).startsWith("no job \"job-nope\" on testd");
    }
  }

  @Test
  void badResumeIdIs400() throws Exception {
    String id = daemon.client.submit(new Operation.Status()).jobId();
    Http.Answer a = Http.get(daemon.baseUrl() + "/v1/jobs/" + id + "/stream?after=x");

    assertErrorBody(a, 400, "invalid_event_id");
  }

  @Test
  void unknownPathIs404NamingMethodAndPath() throws Exception {
    Http.Answer a = Http.get(daemon.baseUrl() + "/v2/nothing");

    assertErrorBody(a, 404, "not_found");
    assertThat(message(a)).isEqualTo("no such path: GET /v2/nothing");
  }

  @Test
  void wrongMethodIs405() throws Exception {
    Http.Answer a = Http.post(daemon.baseUrl() + "/health", "{}");

    assertErrorBody(a, 405, "method_not_allowed");
    assertThat(message(a)).isEqualTo("method not allowed: POST /health");
  }

  @Test
  void unexpectedExceptionIs500InternalWithOneLineAndNoTrace() throws Exception {
    Http.Answer a = Http.get(daemon.baseUrl() + "/boom");

    assertErrorBody(a, 500, "internal");
    assertThat(message(a)).isEqualTo("internal error: kaboom");
  }

  @Test
  void errorThrownByARouteIs500InternalJsonToo() throws Exception {
    Http.Answer a = Http.get(daemon.baseUrl() + "/boom-error");

    assertErrorBody(a, 500, "internal");
    assertThat(message(a)).isEqualTo("internal error: deep trouble");
  }

  @Test
  void clientRejectionMessageNamesServerReasonAndExpectedOperations() {
    JobClientException e = catchThrowableOfType(JobClientException.class,
        () -> daemon.client.submit(new Operation.HiveList()));

    assertThat(e.kind()).isEqualTo(Kind.REJECTED);
    assertThat(e.httpStatus()).isEqualTo(400);
    assertThat(e.code()).isEqualTo("unknown_operation");
    assertThat(e.getMessage()).isEqualTo("rejected by testd at " + daemon.baseUrl()
        + ": operation \"HiveList\" is not run by testd"
        + " (expected one of: Status, HiveCheck, WorkerSpawn, Infer)");
  }

  @Test
  void clientUnknownJobIsNotFound() {
    JobClientException e = catchThrowableOfType(JobClientException.class,
        () -> daemon.client.status("job-gone"));

    assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
    assertThat(e.httpStatus()).isEqualTo(404);
    assertThat(e.code()).isEqualTo("job_not_found");
  }

  @Test
  void clientOfANonListeningPortIsUnreachableAndSaysSo() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    JobClient queen = new JobClient("http://127.0.0.1:" + port, TestToken.TOKEN).named("queen");

    JobClientException e = catchThrowableOfType(JobClientException.class,
        () -> queen.submit(new Operation.Status()));

    assertThat(e.kind()).isEqualTo(Kind.UNREACHABLE);
    assertThat(e.httpStatus()).isZero();
    assertThat(e.getMessage()).isEqualTo(
        "queen at http://127.0.0.1:" + port + " is not reachable (connection refused)");
    assertThat(queen.healthy()).isFalse();
    assertThat(daemon.client.healthy()).isTrue();
  }

  private static void assertErrorBody(Http.Answer a, int status, String code) {
    assertThat(a.status()).as(a.body()).isEqualTo(status);
    assertThat(a.contentType()).startsWith("application/json");
    assertThat(a.json().path("error").path("code").asText()).as(a.body()).isEqualTo(code);
    assertThat(a.body()).doesNotContain("\tat ", ".java:", "Exception");
  }

  private static String message(Http.Answer a) {
    return a.json().path("error").path("message").asText();
  }

  private static List<String> expected(Http.Answer a) {
    JsonNode list = a.json().path("error").path("expected");
    return StreamSupport.stream(list.spliterator(), false).map(JsonNode::asText).toList();
  }
}

package io.rbee.narration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Secrets never leave the process in narration; ordinary text is left alone. */
class RedactorTest {
  private static final String HF = "hf_" + "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";
  private static final String SK = "sk-" + "proj-Ab12Cd34Ef56Gh78Ij90";

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc-DEF_123 | Authorization: Bearer [REDACTED]
      authorization: bearer abcdefgh12345678                     | authorization: bearer [REDACTED]
      sent with Bearer 0a1b2c3d4e5f6a7b8c9d                      | sent with Bearer [REDACTED]
      Authorization: Basic dXNlcjpodW50ZXIy                      | Authorization: Basic [REDACTED]
      header Basic dXNlcjpodW50ZXIy was rejected                 | header Basic [REDACTED] was rejected
      Authorization: token ghp_abcdefghijklmnop                  | Authorization: token [REDACTED]
      """)
  void bearerAndBasicCredentialsAreMasked(String text, String redacted) {
    assertThat(Redactor.redact(text)).isEqualTo(redacted);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      GET /v1/models?api_key=abc123&limit=5               | GET /v1/models?api_key=[REDACTED]&limit=5
      https://host/dl?token=s3cr3t                        | https://host/dl?token=[REDACTED]
      https://host/login?user=me&password=hunter2&x=1     | https://host/login?user=me&password=[REDACTED]&x=1
      https://host/a?access_token=xyz.123                 | https://host/a?access_token=[REDACTED]
      X-Api-Key: 0123456789abcdef                         | X-Api-Key: [REDACTED]
      secret=shh                                          | secret=[REDACTED]
      HF_TOKEN=abc123 OPENAI_API_KEY=def456               | HF_TOKEN=[REDACTED] OPENAI_API_KEY=[REDACTED]
      --token=abc123 --client_secret=xyz                  | --token=[REDACTED] --client_secret=[REDACTED]
      db.password = hunter2                               | db.password = [REDACTED]
      12 tokens then tokens_left=3 then token	= abc      | 12 tokens then tokens_left=3 then token	= [REDACTED]
      "max_tokens": 8 and \\"x_api_key\\" : 42           | "max_tokens": 8 and \\"x_api_key\\" : [REDACTED]
      """)
  void secretKeysInQueryStringsHeadersAndFlagsAreMasked(String text, String redacted) {
    assertThat(Redactor.redact(text)).isEqualTo(redacted);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      https://b.s3.amazonaws.com/m.gguf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAXYZ/20261201/us-east-1/s3/aws4_request&X-Amz-Signature=fe5f80f77d5fa3beca038a248ff027 | https://b.s3.amazonaws.com/m.gguf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=[REDACTED]&X-Amz-Signature=[REDACTED]
      https://storage.googleapis.com/b/m.gguf?X-Goog-Signature=0a1b2c3d&X-Goog-Expires=600 | https://storage.googleapis.com/b/m.gguf?X-Goog-Signature=[REDACTED]&X-Goog-Expires=600
      https://acct.blob.core.windows.net/c/m.gguf?sv=2024-01-01&sig=AbC%2Bd%3D&se=2027 | https://acct.blob.core.windows.net/c/m.gguf?sv=2024-01-01&sig=[REDACTED]&se=2027
      https://cdn.example/m.gguf?Signature=xyz789&Key-Pair-Id=K2 | https://cdn.example/m.gguf?Signature=[REDACTED]&Key-Pair-Id=K2
      https://h/m.gguf?TOKEN=abc&API_KEY=def       | https://h/m.gguf?TOKEN=[REDACTED]&API_KEY=[REDACTED]
      """)
  void signedUrlParametersAreMaskedWhateverTheirCase(String text, String redacted) {
    assertThat(Redactor.redact(text)).isEqualTo(redacted);
  }

  @Test
  void secretKeysInJsonAreMaskedKeepingTheJsonShape() {
    assertThat(Redactor.redact("{\"api_key\":\"abc123\",\"model\":\"tiny\"}"))
        .isEqualTo("{\"api_key\":\"[REDACTED]\",\"model\":\"tiny\"}");
    assertThat(Redactor.redact("{\"token\": \"abc\", \"password\": \"correct horse battery\"}"))
        .isEqualTo("{\"token\": \"[REDACTED]\", \"password\": \"[REDACTED]\"}");
    assertThat(Redactor.redact("{'secret': 'a b c'}")).isEqualTo("{'secret': '[REDACTED]'}");
    assertThat(Redactor.redact("body {\\\"api_key\\\":\\\"abc123\\\"}"))
        .doesNotContain("abc123");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      https://user:pass@host/                       | https://user:[REDACTED]@host/
      cloning https://x-access-token:ghs_AbC123@github.com/o/r.git | cloning https://x-access-token:[REDACTED]@github.com/o/r.git
      ssh://admin:p4ss@10.0.0.2:22                  | ssh://admin:[REDACTED]@10.0.0.2:22
      https://u:p@ss@host/x                         | https://u:[REDACTED]@host/x
      https://u:a@b@c@host:8080/x?y=1               | https://u:[REDACTED]@host:8080/x?y=1
      get https://me:s3cr@t@mirror/m.gguf failed    | get https://me:[REDACTED]@mirror/m.gguf failed
      https://u:p@host/x?mail=a@b.example           | https://u:[REDACTED]@host/x?mail=a@b.example
      """)
  void passwordsInUrlsAreMasked(String text, String redacted) {
    assertThat(Redactor.redact(text)).isEqualTo(redacted);
  }

  @Test
  void wellKnownTokenShapesAreMaskedAnywhere() {
    assertThat(Redactor.redact("using " + HF + " for the download"))
        .isEqualTo("using [REDACTED] for the download");
    assertThat(Redactor.redact("key " + SK + ".")).isEqualTo("key [REDACTED].");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Generated 128 tokens at 42.5 tokens/s",
      "max_tokens=128",
      "{\"max_tokens\": 128, \"temperature\": 0}",
      "token_count=12 n_tokens=4 tokens=9",
      "time to first token: 35 ms",
      "Tokenizer has 32000 tokens; bos token: <s>",
      "Running basic checks on 2 devices",
      "Basic configuration loaded",
      "missing bearer token",
      "Bearer authentication required",
      "pwd: /home/rbee",
      "Downloading https://huggingface.co/TheBloke/tiny/resolve/main/tiny.gguf",
      "Listening on http://127.0.0.1:8500/v1/jobs",
      "ssh://rbee@gpu-box:22 reachable",
      "task-runner-for-the-long-job started",
      "Spawning worker on cuda:0 with model tiny.gguf (size 445 KB)",
      "password-less ssh to gpu-box works",
      "Secrets are redacted",
      "GGUF signature: ok",
      "mail me at someone@example.com",
  })
  void ordinaryTextIsLeftAlone(String text) {
    assertThat(Redactor.redact(text)).isEqualTo(text);
  }

  @Test
  void longAndPathologicalTextIsRedactedQuicklyWithoutOverflowingTheStack() {
    String[] inputs = {
        "a-".repeat(20_000) + " token=abc",
        "a_".repeat(20_000) + "token=abc",
        "{\"password\": \"" + "x".repeat(200_000) + "\"} token=abc",
        "{\"token\": \"" + "\\n".repeat(50_000) + "\"} token=abc",
        "\"".repeat(20_000) + " token=abc",
        "https://".repeat(20_000) + " token=abc",
        "Bearer ".repeat(20_000) + "token=abc",
        "x".repeat(200_000) + " token=abc"};

    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      for (String input : inputs) {
        String out = Redactor.redact(input); // compared as booleans: no megabyte failure messages
        assertThat(out.endsWith("token=[REDACTED]") && !out.contains("=abc"))
            .as("redacts %s...", input.substring(0, 20)).isTrue();
      }
    });
  }

  @Test
  void rbeeAccessTokensOfAnyInstallationAreMaskedAnywhere() {
    String token = "rbee_" + "Zx9-_Qw3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz1Xc3Vb5N";

    assertThat(Redactor.redact("a stray " + token + ", printed"))
        .isEqualTo("a stray [REDACTED], printed");
    assertThat(Redactor.redact("rbee_hive and rbee_home are words")).isEqualTo(
        "rbee_hive and rbee_home are words");
  }

  @Test
  void aRegisteredSecretIsMaskedWhateverItsShape() {
    String own = "my own token " + UUID.randomUUID();

    assertThat(Redactor.redact("it is " + own + "!")).contains(own);
    Redactor.addSecret(own);

    assertThat(Redactor.redact("it is " + own + "!")).isEqualTo("it is [REDACTED]!");
    assertThat(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Redactor.addSecret("short")).getMessage()).contains("at least 12");
  }

  @Test
  void redactingTwiceChangesNothingMore() {
    String once = Redactor.redact("https://u:p@h/?token=abc Authorization: Bearer abc123def " + HF);

    assertThat(Redactor.redact(once)).isEqualTo(once);
    assertThat(Redactor.redact(null)).isNull();
    assertThat(Redactor.redact("")).isEmpty();
  }

  @Test
  void emittedNarrationIsRedactedOnTheStreamAndInTheLog() {
    Broadcaster broadcaster = new Broadcaster(HistoryLimits.DEFAULT);
    String jobId = "job-" + UUID.randomUUID();
    JobChannel job = broadcaster.open(jobId);

    Narrator.of("hive", broadcaster).job(jobId, "model_download")
        .target("https://me:hunter2@mirror.example/tiny.gguf?token=t0k3n")
        .model("https://mirror.example/tiny.gguf?api_key=k3y")
        .human("Downloading {} with {}", "https://me:hunter2@mirror.example/tiny.gguf", HF)
        .emit();

    String data = job.snapshot().get(0).data();
    assertThat(data).doesNotContain("hunter2", "t0k3n", "k3y", HF).contains(Redactor.MASK);
    Narration sent = Json.read(data, Narration.class);
    assertThat(sent.human())
        .isEqualTo("Downloading https://me:[REDACTED]@mirror.example/tiny.gguf with [REDACTED]");
    assertThat(sent.target())
        .isEqualTo("https://me:[REDACTED]@mirror.example/tiny.gguf?token=[REDACTED]");
    assertThat(sent.model()).isEqualTo("https://mirror.example/tiny.gguf?api_key=[REDACTED]");
    assertThat(CapturedLog.linesContaining(jobId)).isNotEmpty()
        .noneMatch(line -> line.contains("hunter2") || line.contains(HF));
  }
}

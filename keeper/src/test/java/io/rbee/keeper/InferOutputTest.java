package io.rbee.keeper;

import static io.rbee.keeper.FakeQueen.done;
import static io.rbee.keeper.FakeQueen.narration;
import static io.rbee.keeper.FakeQueen.token;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rbee.jobs.JobStatus;
import io.rbee.narration.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tokens are the only thing on stdout; narration and stats go to stderr. */
class InferOutputTest {
  private static final Map<String, Object> STATS = Map.of("tokens_in", 4, "tokens_out", 42,
      "duration_ms", 210, "tokens_per_second", 200.0, "stop_reason", "max_tokens");

  private static FakeQueen inferQueen() {
    return new FakeQueen().events(
        narration("queen", "infer_schedule", "using worker w-1 on localhost"),
        token("Once"), token(" upon"), narration("worker", "infer_progress", "2 tokens"),
        token(" a time"),
        done(JobStatus.SUCCEEDED, null, STATS));
  }

  @Test
  void tokensAloneGoToStdoutWithNoLineBreakAddedOffATerminal() {
    Cli.Result result = Cli.with(inferQueen()).run("infer", "--model", "demo", "Once");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).isEqualTo("Once upon a time");
    assertThat(result.err()).contains("using worker w-1").contains("2 tokens")
        .doesNotContain("upon");
    assertThat(result.lastErrLine())
        .isEqualTo("42 tokens in 0.21 s, 200.0 tokens/s, stop: max_tokens");
  }

  @Test
  void onATerminalTheTextEndsWithOneLineBreak() {
    Cli.Result result = Cli.with(inferQueen()).terminal(true)
        .run("--no-color", "infer", "--model", "demo", "Once");

    assertThat(result.out()).startsWith("Once upon").endsWith(" a time\n");
    assertThat(result.out()).doesNotContain("\u001b[");
  }

  @Test
  void jsonPrintsEveryEventAsOneJsonObjectPerLine() throws Exception {
    Cli.Result result = Cli.with(inferQueen()).run("infer", "--json", "--model", "demo", "x");

    assertThat(result.exitCode()).isZero();
    List<String> lines = result.outLines();
    assertThat(lines).hasSize(6);
    for (int i = 0; i < lines.size(); i++) {
      JsonNode line = Json.MAPPER.readTree(lines.get(i));
      assertThat(line.get("id").asLong()).isEqualTo(i + 1);
      assertThat(line.get("data").isObject()).isTrue();
    }
    JsonNode first = Json.MAPPER.readTree(lines.get(0));
    assertThat(first.get("event").asText()).isEqualTo("narration");
    assertThat(first.get("data").get("actor").asText()).isEqualTo("queen");
    assertThat(Json.MAPPER.readTree(lines.get(1)).get("data").get("text").asText())
        .isEqualTo("Once");
    JsonNode last = Json.MAPPER.readTree(lines.get(5));
    assertThat(last.get("event").asText()).isEqualTo("done");
    assertThat(last.get("data").get("status").asText()).isEqualTo("succeeded");
    assertThat(last.get("data").get("stats").get("tokens_out").asInt()).isEqualTo(42);
  }

  @Test
  void jsonMayComeBeforeTheCommandName() {
    Cli.Result result = Cli.with(inferQueen()).run("--json", "status");

    assertThat(result.outLines()).hasSize(6).allMatch(l -> l.startsWith("{\"id\":"));
  }
}

package io.rbee.narration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The narration API: message formatting and the JSON every stream carries. */
class NarrationBuilderTest {
  private final Broadcaster broadcaster = new Broadcaster(HistoryLimits.DEFAULT);
  private final Narrator narrate = Narrator.of("hive", broadcaster);

  private String human(String template, Object... args) {
    return narrate.withoutJob("test").human(template, args).build().human();
  }

  @Test
  void eachPlaceholderTakesTheNextArgument() {
    assertThat(human("Spawning {} on {}", "tiny.gguf", "cuda:0"))
        .isEqualTo("Spawning tiny.gguf on cuda:0");
    assertThat(human("{}{}", 1, 2)).isEqualTo("12");
    assertThat(human("{} bytes", 1_048_576L)).isEqualTo("1048576 bytes");
    assertThat(human("{} then {}", "{}", "x")).as("arguments are not re-scanned")
        .isEqualTo("{} then x");
  }

  @Test
  void placeholdersWithoutArgumentsStayAsWritten() {
    assertThat(human("Loading {} onto {}", "tiny.gguf")).isEqualTo("Loading tiny.gguf onto {}");
    assertThat(human("a {} b {}")).isEqualTo("a {} b {}");
  }

  @Test
  void argumentsWithoutPlaceholdersAreIgnored() {
    assertThat(human("Loaded {}", "a", "b", "c")).isEqualTo("Loaded a");
    assertThat(human("Ready", "unused")).isEqualTo("Ready");
  }

  @Test
  void nullArgumentsAndTemplatesAreHandled() {
    assertThat(human("value {}", (Object) null)).isEqualTo("value null");
    assertThat(human("value {}", (Object[]) null)).isEqualTo("value {}");
    assertThat(human(null, "x")).isNull();
    assertThat(narrate.withoutJob("test").build().human()).isNull();
  }

  @Test
  void aNarrationSerialisesToSnakeCaseJsonWithEveryField() throws Exception {
    Narration n = narrate.job("job-1", "model_download")
        .target("tiny.gguf").hiveId("localhost").workerId("worker-7")
        .model("tiny").device("cuda:0").durationMs(42).progress(512, 1024L, "bytes")
        .error("download_failed").human("Download of {} failed", "tiny")
        .build();

    JsonNode json = Json.MAPPER.readTree(Json.write(n));

    assertThat(json.fieldNames()).toIterable().containsExactlyInAnyOrder(
        "actor", "action", "target", "human", "job_id", "level", "timestamp", "hive_id",
        "worker_id", "model", "device", "error_kind", "duration_ms", "progress");
    assertThat(json.get("actor").asText()).isEqualTo("hive");
    assertThat(json.get("action").asText()).isEqualTo("model_download");
    assertThat(json.get("job_id").asText()).isEqualTo("job-1");
    assertThat(json.get("hive_id").asText()).isEqualTo("localhost");
    assertThat(json.get("worker_id").asText()).isEqualTo("worker-7");
    assertThat(json.get("error_kind").asText()).isEqualTo("download_failed");
    assertThat(json.get("level").asText()).isEqualTo("error");
    assertThat(json.get("duration_ms").isIntegralNumber()).isTrue();
    assertThat(json.get("duration_ms").asLong()).isEqualTo(42);
    assertThat(json.get("human").asText()).isEqualTo("Download of tiny failed");
    JsonNode progress = json.get("progress");
    assertThat(progress.fieldNames()).toIterable().containsExactlyInAnyOrder("current", "total", "unit");
    assertThat(progress.get("current").asLong()).isEqualTo(512);
    assertThat(progress.get("total").asLong()).isEqualTo(1024);
    assertThat(progress.get("unit").asText()).isEqualTo("bytes");
  }

  @Test
  void absentFieldsAreLeftOutOfTheJson() throws Exception {
    Narration n = narrate.withoutJob("worker_list").progress(3, null, "workers").build();

    JsonNode json = Json.MAPPER.readTree(Json.write(n));

    assertThat(json.fieldNames()).toIterable()
        .containsExactlyInAnyOrder("actor", "action", "level", "timestamp", "progress");
    assertThat(json.get("level").asText()).isEqualTo("info");
    assertThat(json.get("progress").fieldNames()).toIterable()
        .containsExactlyInAnyOrder("current", "unit");
  }

  @Test
  void levelsAreWrittenInLowerCase() {
    assertThat(List.of(
            narrate.withoutJob("a").build(),
            narrate.withoutJob("a").warn().build(),
            narrate.withoutJob("a").error("boom").build(),
            narrate.withoutJob("a").level(Level.DEBUG).build()))
        .extracting(n -> Json.MAPPER.valueToTree(n).get("level").asText())
        .containsExactly("info", "warn", "error", "debug");
  }

  @Test
  void theTimestampIsAnIso8601InstantOfTheBuild() {
    Instant before = Instant.now();
    String timestamp = narrate.withoutJob("a").build().timestamp();
    Instant after = Instant.now();

    assertThat(timestamp).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
    assertThat(Instant.parse(timestamp)).isBetween(before, after);
  }

  @Test
  void theJsonReadsBackIntoTheSameNarration() {
    Narration n = narrate.job("job-1", "model_download").hiveId("h").workerId("w")
        .model("m").device("cpu").durationMs(7).progress(1, 2L, "layers").warn()
        .human("half way").target("t").build();

    assertThat(Json.read(Json.write(n), Narration.class)).isEqualTo(n);
  }

  @Test
  void emitSendsExactlyTheBuiltNarrationToTheJobStream() {
    JobChannel job = broadcaster.open("job-1");

    narrate.job("job-1", "worker_spawn").device("cpu").human("Spawning {}", "w1").emit();

    JobEvent event = job.snapshot().get(0);
    assertThat(event.event()).isEqualTo(JobEvent.NARRATION);
    Narration sent = Json.read(event.data(), Narration.class);
    assertThat(sent.actor()).isEqualTo("hive");
    assertThat(sent.action()).isEqualTo("worker_spawn");
    assertThat(sent.device()).isEqualTo("cpu");
    assertThat(sent.human()).isEqualTo("Spawning w1");
    assertThat(event.data()).isEqualTo(Json.write(sent));
  }

  @Test
  void aRelayCanReHomeANarrationAndFillInItsHive() {
    Narration n = narrate.job("hive-job", "a").build();

    Narration relayed = n.withJobId("queen-job").withDefaultHiveId("gpu-box");

    assertThat(relayed.jobId()).isEqualTo("queen-job");
    assertThat(relayed.hiveId()).isEqualTo("gpu-box");
    assertThat(relayed.withDefaultHiveId("other").hiveId()).isEqualTo("gpu-box");
    assertThat(relayed).usingRecursiveComparison().ignoringFields("jobId", "hiveId").isEqualTo(n);
  }

  @Test
  void aNarratorNeedsAnActor() {
    assertThatThrownBy(() -> Narrator.of(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Narrator.of(null, broadcaster))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Narrator.of("queen").actor()).isEqualTo("queen");
  }
}

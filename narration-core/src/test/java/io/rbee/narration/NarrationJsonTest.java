package io.rbee.narration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NarrationJsonTest {
  private final Broadcaster broadcaster = new Broadcaster(HistoryLimits.DEFAULT);
  private final Narrator hive = Narrator.of("hive", broadcaster);

  private static Narration read(String json) {
    return Json.read(json, Narration.class);
  }

  @Test
  void rehomingChangesOnlyTheJobIdAndGivesWhatAParseWouldGive() {
    Narration n = hive.job("job-remote", "step").hiveId("gpu").workerId("w-1")
        .human("said \"job_id\":\"job-fake\" and a \\ backslash").progress(3, 9L, "files")
        .build();
    String json = Json.write(n);

    String rehomed = NarrationJson.withJobId(json, "job-local");

    assertThat(rehomed).isNotNull();
    assertThat(read(rehomed)).isEqualTo(n.withJobId("job-local"));
    // an id that is not plain ASCII is written escaped, as the JSON writer would
    for (String odd : new String[] {"a\"b", "back\\slash", "tab\there", "ünï"}) {
      assertThat(read(NarrationJson.withJobId(json, odd))).isEqualTo(n.withJobId(odd));
      Narration noHive = hive.job("job-1", "a").human("x").build();
      assertThat(read(NarrationJson.withDefaultHiveId(Json.write(noHive), odd)))
          .isEqualTo(noHive.withDefaultHiveId(odd));
    }
  }

  @Test
  void aDefaultHiveIdIsAddedOnlyWhenThereIsNone() {
    Narration without = hive.job("job-1", "a").human("x").build();
    Narration with = hive.job("job-1", "a").hiveId("gpu").human("x").build();

    assertThat(read(NarrationJson.withDefaultHiveId(Json.write(without), "box")))
        .isEqualTo(without.withDefaultHiveId("box"));
    assertThat(NarrationJson.withDefaultHiveId(Json.write(with), "box"))
        .isEqualTo(Json.write(with));
    assertThat(NarrationJson.withDefaultHiveId("{}", "box")).isEqualTo("{\"hive_id\":\"box\"}");
  }

  @Test
  void theErrorKindIsReadWhereThereIsOne() {
    assertThat(NarrationJson.errorKind(Json.write(
        hive.job("job-1", "x").error("hive_lost").human("gone").build()))).isEqualTo("hive_lost");
    assertThat(NarrationJson.errorKind(Json.write(hive.job("job-1", "x").build()))).isNull();
  }

  @Test
  void textItCannotEditSafelyIsLeftToTheParser() {
    assertThat(NarrationJson.withJobId("{\"actor\":\"hive\"}", "j")).isNull();
    assertThat(NarrationJson.withJobId("{\"job_id\":\"a\\\"b\"}", "j")).isNull();
    assertThat(NarrationJson.withJobId("{\"job_id\":\"a\",\"job_id\":\"b\"}", "j")).isNull();
    assertThat(NarrationJson.withDefaultHiveId("not json", "box")).isNull();
  }
}

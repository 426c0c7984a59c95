package io.rbee.keeper.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.narration.Level;
import io.rbee.narration.Narration;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Narration reads as "[actor     ] action  human"; levels and colour as documented. */
class NarrationLineTest {
  private static final PrintWriter SINK = new PrintWriter(new StringWriter());

  private static Narration narration(String actor, String action, Level level, String human) {
    return new Narration(actor, action, null, human, "job-1", level, "t", null, null, null, null,
        null, null, null);
  }

  @Test
  void actorIsPaddedThenActionThenHuman() {
    Output plain = new Output(SINK, SINK, false, false);

    String line = NarrationLine.format(
        narration("hive", "download_progress", Level.INFO, "12.5 MiB / 40.0 MiB (31%)"), plain);

    assertThat(line).isEqualTo("[hive      ] download_progress  12.5 MiB / 40.0 MiB (31%)");
  }

  @Test
  void warnAndErrorAreNamed() {
    Output plain = new Output(SINK, SINK, false, false);

    assertThat(NarrationLine.format(narration("queen", "x", Level.WARN, "slow"), plain))
        .endsWith(" WARN slow");
    assertThat(NarrationLine.format(narration("queen", "x", Level.ERROR, "broke"), plain))
        .endsWith(" ERROR broke");
  }

  @Test
  void colourOnlyWhenAsked() {
    Narration n = narration("queen", "x", Level.ERROR, "broke");

    assertThat(NarrationLine.format(n, new Output(SINK, SINK, true, true))).contains("\u001b[31m");
    assertThat(NarrationLine.format(n, new Output(SINK, SINK, true, false)))
        .doesNotContain("\u001b[");
  }

  @Test
  void inferenceStatsReadAsOneLine() {
    assertThat(StatsLine.format(Map.of("tokens_out", 42, "duration_ms", 210,
        "tokens_per_second", 200.0, "stop_reason", "max_tokens")))
        .isEqualTo("42 tokens in 0.21 s, 200.0 tokens/s, stop: max_tokens");
    assertThat(StatsLine.format(null)).isNull();
  }
}

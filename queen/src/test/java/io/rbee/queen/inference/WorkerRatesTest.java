package io.rbee.queen.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerRatesTest {
  @Test
  void theLastGenerationWithARateIsKeptPerHiveAndWorker() {
    WorkerRates rates = new WorkerRates();
    assertThat(rates.of("blue", "w1")).isNull();

    rates.note("blue", "w1", Map.of("tokens_per_second", 41.5, "tokens_out", 12));
    rates.note("green", "w1", Map.of("tokens_per_second", 9));
    assertThat(rates.of("blue", "w1")).isEqualTo(41.5);
    assertThat(rates.of("green", "w1")).isEqualTo(9.0);

    rates.note("blue", "w1", Map.of("tokens_per_second", 0)); // nothing generated: kept
    rates.note("blue", "w1", Map.of());
    rates.note("blue", "w1", null);
    assertThat(rates.of("blue", "w1")).isEqualTo(41.5);
    rates.note("blue", "w1", Map.of("tokens_per_second", 50.25));
    assertThat(rates.of("blue", "w1")).isEqualTo(50.25);
  }
}

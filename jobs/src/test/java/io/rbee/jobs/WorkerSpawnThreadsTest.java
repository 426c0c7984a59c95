package io.rbee.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rbee.narration.Json;
import org.junit.jupiter.api.Test;

class WorkerSpawnThreadsTest {
  @Test
  void threadsIsReadFromTheWireAndOptional() {
    Operation with = Json.read(
        "{\"WorkerSpawn\": {\"model\": \"m\", \"threads\": 3}}", Operation.class);
    Operation without = Json.read("{\"WorkerSpawn\": {\"model\": \"m\"}}", Operation.class);

    assertThat(with).isEqualTo(new Operation.WorkerSpawn("localhost", "m", "cpu", 3));
    assertThat(((Operation.WorkerSpawn) without).threads()).isNull();
    assertThat(Json.write(with)).contains("\"threads\":3");
  }

  @Test
  void threadsOutOfRangeAreRefusedNamingTheFieldAndValue() {
    assertThatThrownBy(() -> new Operation.WorkerSpawn(null, "m", null, 0).validate())
        .isInstanceOf(InvalidOperationException.class)
        .hasMessage("threads must be 1..256, got 0");
    assertThatThrownBy(() -> new Operation.WorkerSpawn(null, "m", null, 257).validate())
        .hasMessage("threads must be 1..256, got 257");
    new Operation.WorkerSpawn(null, "m", null, 256).validate();
    new Operation.WorkerSpawn(null, "m", null, null).validate();
  }
}

package io.rbee.queen.inference;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.DeviceInfo;
import io.rbee.jobs.HiveHeartbeat;
import io.rbee.jobs.ModelInfo;
import io.rbee.queen.hives.LiveHives;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a new worker goes: a GPU with room before any CPU, and only where the model is. */
class SpawnPlanTest {
  private static final long GIB = 1L << 30;
  private static final DeviceInfo CPU = new DeviceInfo("cpu", "cpu", "CPU", 16 * GIB, 8 * GIB, 8);

  private static DeviceInfo gpu(int index, long freeGib) {
    return new DeviceInfo("cuda:" + index, "cuda", "GPU " + index, 24 * GIB, freeGib * GIB, null);
  }

  private static ModelInfo model(String id, String hiveId, long sizeGib) {
    return new ModelInfo(id, hiveId, "demo", "/m/" + id, sizeGib * GIB, "llama", null, null);
  }

  private static LiveHives.Entry hive(String id, List<DeviceInfo> devices, ModelInfo... models) {
    return new LiveHives.Entry(new HiveHeartbeat(id, "http://" + id + ":9000", 2000, 1, devices,
        List.of(), List.of(models)), System.nanoTime(), false, 6000);
  }

  @Test
  void aGpuWithEnoughFreeMemoryComesBeforeAnyCpu() {
    var plan = SpawnPlan.choose("m", List.of(
        hive("blue", List.of(CPU), model("m", "blue", 4)),
        hive("green", List.of(CPU, gpu(0, 2), gpu(1, 20)), model("m", "green", 4))));
    assertThat(plan).hasValueSatisfying(p -> {
      assertThat(p.hiveId()).isEqualTo("green");
      assertThat(p.device()).isEqualTo("cuda:1");
      assertThat(p.reason()).contains("cuda:1", "20.0 GiB free", "needs about 5.3 GiB");
    });
  }

  @Test
  void withoutAGpuWithRoomItIsTheCpuOfAHiveThatHasTheModel() {
    var plan = SpawnPlan.choose("m", List.of(
        hive("blue", List.of(CPU, gpu(0, 3)), model("m", "blue", 4)),
        hive("green", List.of(CPU, gpu(0, 20)))));
    assertThat(plan).hasValueSatisfying(p -> {
      assertThat(p.hiveId()).isEqualTo("blue");
      assertThat(p.device()).isEqualTo("cpu");
      assertThat(p.reason()).contains("on the CPU");
    });
  }

  @Test
  void noHiveWithTheModelIsNoPlan() {
    assertThat(SpawnPlan.choose("m", List.of(hive("green", List.of(CPU, gpu(0, 20)))))).isEmpty();
  }
}

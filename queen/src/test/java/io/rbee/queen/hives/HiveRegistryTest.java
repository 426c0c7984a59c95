package io.rbee.queen.hives;

import static org.assertj.core.api.Assertions.assertThat;

import io.rbee.jobs.auth.AccessToken;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The persisted registry: files written before remote hives existed, remote records, forget. */
class HiveRegistryTest {
  private static final AccessToken TOKEN = AccessToken.generate("this test");

  @TempDir Path queenDir;
  private final LiveHives live = new LiveHives(null);

  @AfterEach
  void stop() {
    live.close();
  }

  private HiveRegistry registry() {
    return new HiveRegistry(queenDir, null, live, TOKEN);
  }

  @Test
  void aRecordWrittenBeforeRemoteHivesIsALocalHive() throws Exception {
    Files.writeString(queenDir.resolve("hives.json"), """
        [{"hive_id":"localhost","url":"http://127.0.0.1:9000","port":9000,"pid":4242,
          "log_file":"/x/hive-localhost.log","started_at":"2026-12-01T00:00:00Z"}]
        """);

    HiveRecord r = registry().record("localhost").orElseThrow();

    assertThat(r.remote()).isFalse();
    assertThat(r.localPid()).isEqualTo(4242);
  }

  @Test
  void aRemoteHivesPidIsNeverALocalProcessAndForgetRemovesItForGood() {
    HiveRegistry registry = registry();
    registry.register(new HiveRecord("blue", "http://10.0.0.7:9000", 9000, 777, "/r/hive.log",
        "2026-12-01T00:00:00Z", true));

    HiveRegistry reloaded = registry();
    assertThat(reloaded.record("blue")).hasValueSatisfying(r -> {
      assertThat(r.remote()).isTrue();
      assertThat(r.pid()).isEqualTo(777);
      assertThat(r.localPid()).isEqualTo(-1);
    });
    assertThat(reloaded.hiveIdOfPid(777)).isEmpty();
    assertThat(reloaded.ids()).containsExactly("localhost", "blue");

    reloaded.forget("blue");

    assertThat(registry().ids()).containsExactly("localhost");
  }
}

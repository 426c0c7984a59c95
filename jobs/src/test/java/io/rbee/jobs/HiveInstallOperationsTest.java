package io.rbee.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rbee.narration.Json;
import org.junit.jupiter.api.Test;

/** HiveInstall and HiveUninstall on the wire: flags default to false, the alias is checked. */
class HiveInstallOperationsTest {
  @Test
  void flagsDefaultToFalse() throws Exception {
    Operation install = Json.MAPPER.readValue("{\"HiveInstall\":{\"hive_id\":\"blue\"}}",
        Operation.class);
    Operation uninstall = Json.MAPPER.readValue("{\"HiveUninstall\":{\"hive_id\":\"blue\"}}",
        Operation.class);

    assertThat(install).isEqualTo(new Operation.HiveInstall("blue", false));
    assertThat(uninstall).isEqualTo(new Operation.HiveUninstall("blue", false));
    assertThat(Json.MAPPER.writeValueAsString(new Operation.HiveInstall("blue", true)))
        .isEqualTo("{\"HiveInstall\":{\"hive_id\":\"blue\",\"accept_host_key\":true}}");
  }

  @Test
  void theAliasIsRequiredAndMustBeAPlainId() {
    assertThatThrownBy(() -> new Operation.HiveInstall(null, true).validate())
        .isInstanceOf(InvalidOperationException.class).hasMessageContaining("hive_id is required");
    assertThatThrownBy(() -> new Operation.HiveUninstall("../etc", false).validate())
        .isInstanceOf(InvalidOperationException.class)
        .hasMessageContaining("SSH host alias").hasMessageContaining("../etc");
    new Operation.HiveInstall("gpu-1.lan", false).validate();
  }
}

package io.rbee.queen.hives;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hive classpath laid out for another machine, and its checksum manifest. */
class HiveDistributionTest {
  @TempDir Path dir;

  @Test
  void jarsGoToLibFoldersToCpInClasspathOrder() throws Exception {
    Path a = Files.writeString(Files.createDirectories(dir.resolve("m1")).resolve("a.jar"), "A");
    Path b = Files.writeString(Files.createDirectories(dir.resolve("m2")).resolve("a.jar"), "B");
    Path classes = Files.createDirectories(dir.resolve("target/classes/io/rbee"));
    Files.writeString(classes.resolve("X.class"), "x");
    String cp = String.join(File.pathSeparator, a.toString(), dir.resolve("target/classes")
        .toString(), dir.resolve("missing.jar").toString(), b.toString());

    HiveDistribution d = HiveDistribution.of(cp);

    assertThat(d.classpath()).containsExactly("lib/a.jar", "cp/1", "lib/3-a.jar");
    assertThat(d.files()).containsOnlyKeys("lib/a.jar", "cp/1/io/rbee/X.class", "lib/3-a.jar");
    assertThat(d.files().get("lib/a.jar").sha256())
        .isEqualTo("559aead08264d5795d3909718cdd05abd49572e84fe55590eef31a88a08fdffd");
    assertThat(d.bytes()).isEqualTo(3);
  }

  @Test
  void theManifestReadsBack() throws Exception {
    Path a = Files.writeString(dir.resolve("a.jar"), "A");
    HiveDistribution d = HiveDistribution.of(a.toString());

    assertThat(d.manifest()).isEqualTo(
        "559aead08264d5795d3909718cdd05abd49572e84fe55590eef31a88a08fdffd  lib/a.jar\n");
    assertThat(HiveDistribution.parseManifest(d.manifest()))
        .containsExactly(java.util.Map.entry("lib/a.jar",
            "559aead08264d5795d3909718cdd05abd49572e84fe55590eef31a88a08fdffd"));
  }
}

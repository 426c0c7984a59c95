package io.rbee.hive.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.rbee.gguf.GgufFile;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.OperationException;
import io.rbee.testkit.models.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCatalogTest {
  @TempDir Path hiveDir;
  @TempDir Path elsewhere;

  @Test
  void addReadsTheGgufFacts() throws Exception {
    ModelCatalog catalog = new ModelCatalog(hiveDir, "h1");
    Path file = inFiles(catalog, "a.gguf", 1);

    ModelInfo info = catalog.add("a", "https://example.com/a.gguf", file);

    GgufFile gguf = GgufFile.read(file);
    assertThat(info.id()).isEqualTo("a");
    assertThat(info.hiveId()).isEqualTo("h1");
    assertThat(info.source()).isEqualTo("https://example.com/a.gguf");
    assertThat(info.path()).isEqualTo(file.toAbsolutePath().toString());
    assertThat(info.sizeBytes()).isEqualTo(Files.size(file));
    assertThat(info.architecture()).isEqualTo("llama");
    assertThat(info.parameterCount()).isEqualTo(gguf.parameterCount()).isPositive();
    assertThat(info.addedAt()).isNotBlank();
    assertThat(catalog.find("a")).contains(info);
    assertThat(catalog.filesDir()).isEqualTo(hiveDir.toAbsolutePath().resolve("models/files"));
  }

  @Test
  void theCatalogFileIsReadableByItsOwnerOnly() throws IOException {
    ModelCatalog catalog = new ModelCatalog(hiveDir, "h1");
    catalog.add("a", "src-a", TinyModels.tiny(elsewhere, 3));

    Path file = hiveDir.resolve("models").resolve("catalog.json");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void aCatalogWrittenWithCredentialsInASourceIsMaskedWhenRead() throws IOException {
    ModelCatalog first = new ModelCatalog(hiveDir, "h1");
    first.add("a", "https://me:hunter2@mirror.example/a.gguf?token=t0k3n",
        TinyModels.tiny(elsewhere, 3)); // as an older hive stored it

    ModelCatalog reopened = new ModelCatalog(hiveDir, "h1");

    assertThat(reopened.find("a").orElseThrow().source())
        .isEqualTo("https://me:[REDACTED]@mirror.example/a.gguf?token=[REDACTED]");
  }

  @Test
  void catalogSurvivesReopening() throws IOException {
    ModelCatalog first = new ModelCatalog(hiveDir, "h1");
    ModelInfo a = first.add("b", "src-b", inFiles(first, "b.gguf", 2));
    ModelInfo b = first.add("a", "src-a", TinyModels.tiny(elsewhere, 3));

    ModelCatalog reopened = new ModelCatalog(hiveDir, "h1");

    assertThat(reopened.list()).containsExactly(b, a);
    assertThat(hiveDir.resolve("models/catalog.json")).exists();
    assertThat(hiveDir.resolve("models/catalog.json.tmp")).doesNotExist();
    // files the hive owns are stored relative to its files dir, so the hive dir can move
    assertThat(Files.readString(hiveDir.resolve("models/catalog.json")))
        .contains("\"path\" : \"b.gguf\"");
  }

  @Test
  void notGgufIsRefusedAndLeavesNoEntry() throws IOException {
    ModelCatalog catalog = new ModelCatalog(hiveDir, "h1");

    OperationException e = catchThrowableOfType(OperationException.class,
        () -> catalog.add("g", "src", TinyModels.garbage(elsewhere)));

    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_GGUF);
    assertThat(catalog.list()).isEmpty();
    assertThat(new ModelCatalog(hiveDir, "h1").list()).isEmpty();
  }

  @Test
  void removeDeletesOwnedFilesButNotRegisteredOnes() throws IOException {
    ModelCatalog catalog = new ModelCatalog(hiveDir, "h1");
    Path owned = catalog.filesDir().resolve("hf/org/repo/m.gguf");
    Files.createDirectories(owned.getParent());
    Files.copy(TinyModels.tiny(elsewhere, 4), owned);
    Path external = TinyModels.tiny(Files.createDirectories(elsewhere.resolve("x")), 5);
    catalog.add("owned", "s", owned);
    catalog.add("external", "s", external);

    assertThat(catalog.remove("owned")).map(ModelInfo::id).contains("owned");
    assertThat(catalog.remove("external")).isPresent();
    assertThat(catalog.remove("external")).isEmpty();

    assertThat(owned).doesNotExist();
    assertThat(catalog.filesDir().resolve("hf")).doesNotExist();
    assertThat(catalog.filesDir()).exists();
    assertThat(external).exists();
    assertThat(new ModelCatalog(hiveDir, "h1").list()).isEmpty();
  }

  @Test
  void entryWhoseFileVanishedIsDroppedAndTheDropPersisted() throws IOException {
    ModelCatalog catalog = new ModelCatalog(hiveDir, "h1");
    Path file = inFiles(catalog, "v.gguf", 6);
    catalog.add("v", "s", file);
    catalog.add("w", "s", inFiles(catalog, "w.gguf", 7));

    Files.delete(file);

    assertThat(catalog.find("v")).isEmpty();
    assertThat(catalog.list()).extracting(ModelInfo::id).containsExactly("w");
    assertThat(Files.readString(hiveDir.resolve("models/catalog.json"))).doesNotContain("v.gguf");
  }

  @Test
  void unreadableCatalogIsMovedAsideAndTheHiveStartsEmpty() throws IOException {
    Path file = hiveDir.resolve("models/catalog.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "{not json");

    ModelCatalog catalog = new ModelCatalog(hiveDir, "h1");

    assertThat(catalog.list()).isEmpty();
    try (var aside = Files.list(file.getParent())) {
      assertThat(aside.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("catalog.json.corrupt-"));
    }
  }

  @Test
  void concurrentAddsAreAllKept() throws Exception {
    ModelCatalog catalog = new ModelCatalog(hiveDir, "h1");
    Path file = TinyModels.tiny(elsewhere, 8);
    List<CompletableFuture<ModelInfo>> adds = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      String id = "m" + i;
      adds.add(CompletableFuture.supplyAsync(() -> catalog.add(id, "s", file)));
    }
    CompletableFuture.allOf(adds.toArray(CompletableFuture[]::new)).get();

    assertThat(new ModelCatalog(hiveDir, "h1").list()).hasSize(16);
  }

  private Path inFiles(ModelCatalog catalog, String name, long seed) throws IOException {
    Path file = catalog.filesDir().resolve(name);
    Files.copy(TinyModels.tiny(Files.createDirectories(elsewhere.resolve("s" + seed)), seed), file);
    return file;
  }
}

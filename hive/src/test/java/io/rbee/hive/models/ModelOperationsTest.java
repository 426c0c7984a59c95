package io.rbee.hive.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.ModelInfo;
import io.rbee.jobs.Operation;
import io.rbee.jobs.OperationException;
import io.rbee.narration.Json;
import io.rbee.narration.Narration;
import io.rbee.testkit.http.FileServer;
import io.rbee.testkit.jobs.TestJob;
import io.rbee.testkit.models.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelOperationsTest {
  @TempDir Path hiveDir;
  @TempDir Path src;
  private final FileServer server = FileServer.start();
  private final AtomicBoolean inUse = new AtomicBoolean();
  private ModelCatalog catalog;
  private ModelOperations ops;
  private byte[] model;

  @BeforeEach
  void setUp() throws IOException {
    catalog = new ModelCatalog(hiveDir, "h1");
    ModelDownloader downloader = new ModelDownloader(new OkHttpClient(), Duration.ofMillis(10));
    ops = new ModelOperations(catalog, downloader, id -> inUse.get(), server.url("/").toString());
    model = Files.readAllBytes(TinyModels.tiny(src, 11));
    server.serve("/files/tiny.gguf", model);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void downloadOfAUrlAddsTheModelAndNarratesEveryStep() throws IOException {
    TestJob job = TestJob.open();

    ops.download(new Operation.ModelDownload("h1", server.url("/files/tiny.gguf").toString()), job);

    ModelInfo info = job.lastResult(ModelInfo.class);
    assertThat(info.id()).isEqualTo("tiny.gguf");
    assertThat(info.source()).isEqualTo(server.url("/files/tiny.gguf").toString());
    assertThat(info.sizeBytes()).isEqualTo(model.length);
    assertThat(Files.readAllBytes(Path.of(info.path()))).isEqualTo(model);
    assertThat(catalog.find("tiny.gguf")).contains(info);
    assertThat(job.narrations()).extracting(Narration::action).containsSubsequence(
        "model_resolve", "model_download", "download_connect", "download_progress",
        "download_verify", "download_verified", "model_download_done");
    Narration done = job.narrations("model_download_done").get(0);
    assertThat(done.durationMs()).isNotNull();
    assertThat(done.human()).contains("tiny.gguf").contains(ByteSize.format(model.length));
    assertThat(done.hiveId()).isEqualTo("h1");
    assertThat(job.narrations()).allSatisfy(n -> assertThat(n.jobId()).isEqualTo(job.jobId()));
  }

  @Test
  void downloadOfAModelAlreadyPresentReturnsItWithoutDownloading() {
    String url = server.url("/files/tiny.gguf").toString();
    ops.download(new Operation.ModelDownload("h1", url), TestJob.open());
    TestJob again = TestJob.open();

    ops.download(new Operation.ModelDownload("h1", url), again);

    assertThat(server.requests("/files/tiny.gguf")).isEqualTo(1);
    assertThat(again.narrations("model_present").get(0).human()).contains("already present");
    assertThat(again.lastResult(ModelInfo.class).id()).isEqualTo("tiny.gguf");
  }

  @Test
  void huggingFaceReferenceDownloadsFromTheConfiguredEndpoint() {
    server.serve("/org/repo/resolve/main/tiny-q4.gguf", model);
    TestJob job = TestJob.open();

    ops.download(new Operation.ModelDownload("h1", "org/repo:tiny-q4.gguf"), job);

    ModelInfo info = job.lastResult(ModelInfo.class);
    assertThat(info.id()).isEqualTo("org/repo:tiny-q4.gguf");
    assertThat(Path.of(info.path()))
        .isEqualTo(catalog.filesDir().resolve("hf/org/repo/tiny-q4.gguf"));
    assertThat(server.requests("/org/repo/resolve/main/tiny-q4.gguf")).isEqualTo(1);
  }

  @Test
  void demoIsGeneratedLocally() {
    TestJob job = TestJob.open();

    ops.download(new Operation.ModelDownload(null, "demo"), job);

    ModelInfo info = job.lastResult(ModelInfo.class);
    assertThat(info.id()).isEqualTo("demo");
    assertThat(info.source()).isEqualTo("demo");
    assertThat(info.architecture()).isEqualTo("llama");
    assertThat(Path.of(info.path())).exists().startsWith(catalog.filesDir());
    assertThat(job.narrations("model_demo_generate").get(0).human())
        .contains("random weights").contains("locally");
  }

  @Test
  void notGgufFailsWithoutACatalogEntry() throws IOException {
    server.serve("/files/page.gguf", Files.readAllBytes(TinyModels.garbage(src)));

    OperationException e = catchThrowableOfType(OperationException.class, () -> ops.download(
        new Operation.ModelDownload("h1", server.url("/files/page.gguf").toString()),
        TestJob.open()));

    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_GGUF);
    assertThat(catalog.list()).isEmpty();
  }

  @Test
  void missingFileIsModelNotFound() {
    OperationException e = catchThrowableOfType(OperationException.class, () -> ops.download(
        new Operation.ModelDownload("h1", "org/repo:nope.gguf"), TestJob.open()));

    assertThat(e.kind()).isEqualTo(ErrorKind.MODEL_NOT_FOUND);
    assertThat(e.getMessage()).contains("404").contains("/org/repo/resolve/main/nope.gguf");
  }

  @Test
  void invalidReferenceIsRefusedBeforeAnyRequest() {
    OperationException e = catchThrowableOfType(OperationException.class,
        () -> ops.download(new Operation.ModelDownload("h1", "llama-7b"), TestJob.open()));

    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_MODEL_REFERENCE);
    assertThat(e.getMessage()).contains("llama-7b");
  }

  @Test
  void secondDownloadOfTheSameModelWhileTheFirstRunsIsRefused() {
    server.throttle("/files/tiny.gguf", 20_000);
    String url = server.url("/files/tiny.gguf").toString();
    TestJob first = TestJob.open();
    CompletableFuture<Void> running =
        CompletableFuture.runAsync(() -> ops.download(new Operation.ModelDownload("h1", url), first));
    await().atMost(Duration.ofSeconds(10))
        .until(() -> !first.narrations("download_connect").isEmpty());

    OperationException e = catchThrowableOfType(OperationException.class,
        () -> ops.download(new Operation.ModelDownload("h1", url), TestJob.open()));

    assertThat(e.kind()).isEqualTo(ErrorKind.DOWNLOAD_IN_PROGRESS);
    first.cancel();
    await().atMost(Duration.ofSeconds(10)).until(running::isDone);
    assertThat(catalog.list()).isEmpty();
  }

  @Test
  void downloadsBeyondTheHivesLimitWaitTheirTurnAndSayForWhat() throws Exception {
    ModelOperations one = new ModelOperations(catalog,
        new ModelDownloader(new OkHttpClient(), Duration.ofMillis(10)), id -> false,
        server.url("/").toString(), 1);
    server.serve("/files/other.gguf", model);
    server.throttle("/files/tiny.gguf", 20_000);
    // a thread each: the common pool may have one thread on a small machine
    var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    TestJob first = TestJob.open();
    CompletableFuture<Void> running = CompletableFuture.runAsync(() -> one.download(
        new Operation.ModelDownload("h1", server.url("/files/tiny.gguf").toString()), first),
        threads);
    await().atMost(Duration.ofSeconds(10))
        .until(() -> !first.narrations("download_connect").isEmpty());
    TestJob second = TestJob.open();

    CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> one.download(
        new Operation.ModelDownload("h1", server.url("/files/other.gguf").toString()), second),
        threads);

    await().atMost(Duration.ofSeconds(10))
        .until(() -> !second.narrations("wait_queued").isEmpty());
    assertThat(second.narrations("wait_queued").get(0).human())
        .contains("a model download on hive h1", "1 in use (of 1)", "0 ahead");
    assertThat(server.requests("/files/other.gguf")).isZero();
    running.get(30, java.util.concurrent.TimeUnit.SECONDS);
    waiting.get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(second.narrations()).extracting(Narration::action)
        .containsSubsequence("wait_queued", "wait_done", "model_download", "model_download_done");
    assertThat(catalog.list()).extracting(ModelInfo::id)
        .containsExactlyInAnyOrder("tiny.gguf", "other.gguf");
  }

  @Test
  void listGivesAJsonArrayOfTheModels() {
    TestJob empty = TestJob.open();
    ops.list(new Operation.ModelList("h1"), empty);
    assertThat(empty.results()).containsExactly("[]");
    assertThat(empty.narrations("model_list").get(0).human()).contains("rbee model download demo");

    ops.download(new Operation.ModelDownload("h1", "demo"), TestJob.open());
    TestJob job = TestJob.open();
    ops.list(new Operation.ModelList("h1"), job);

    List<ModelInfo> models =
        readList(job.results().get(0));
    assertThat(models).extracting(ModelInfo::id).containsExactly("demo");
  }

  @Test
  void getOfAnUnknownModelNamesTheModelsThatExist() {
    ops.download(new Operation.ModelDownload("h1", "demo"), TestJob.open());

    OperationException e = catchThrowableOfType(OperationException.class,
        () -> ops.get(new Operation.ModelGet("h1", "llama"), TestJob.open()));
    TestJob job = TestJob.open();
    ops.get(new Operation.ModelGet("h1", "demo"), job);

    assertThat(e.kind()).isEqualTo(ErrorKind.MODEL_NOT_FOUND);
    assertThat(e.getMessage()).contains("\"llama\"").contains("models here: demo");
    assertThat(job.lastResult(ModelInfo.class).id()).isEqualTo("demo");
  }

  @Test
  void deleteIsRefusedWhileWorkersUseTheModel() {
    ops.download(new Operation.ModelDownload("h1", "demo"), TestJob.open());
    Path file = Path.of(catalog.find("demo").orElseThrow().path());
    inUse.set(true);

    OperationException e = catchThrowableOfType(OperationException.class,
        () -> ops.delete(new Operation.ModelDelete("h1", "demo"), TestJob.open()));

    assertThat(e.kind()).isEqualTo(ErrorKind.MODEL_IN_USE);
    assertThat(e.getMessage()).contains("workers").contains("kill them first");
    assertThat(file).exists();

    inUse.set(false);
    TestJob job = TestJob.open();
    ops.delete(new Operation.ModelDelete("h1", "demo"), job);

    assertThat(job.lastResult(ModelInfo.class).id()).isEqualTo("demo");
    assertThat(file).doesNotExist();
    assertThat(catalog.list()).isEmpty();
  }

  private static List<ModelInfo> readList(String json) {
    try {
      return Json.MAPPER.readValue(json, new TypeReference<List<ModelInfo>>() {});
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}

package io.rbee.hive.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.JobCancelledException;
import io.rbee.jobs.OperationException;
import io.rbee.narration.Level;
import io.rbee.narration.Narration;
import io.rbee.narration.Progress;
import io.rbee.testkit.http.FileServer;
import io.rbee.testkit.jobs.TestJob;
import io.rbee.testkit.models.TinyModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDownloaderTest {
  private static final String PATH = "/models/tiny.gguf";

  @TempDir Path dir;
  private final FileServer server = FileServer.start();
  private final ModelDownloader downloader = new ModelDownloader(
      new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(10)).build(),
      Duration.ofMillis(10));
  private byte[] model;
  private Path dest;

  @BeforeEach
  void serveModel() throws IOException {
    model = Files.readAllBytes(TinyModels.demo(Files.createDirectories(dir.resolve("src"))));
    server.serve(PATH, model);
    dest = dir.resolve("files").resolve("tiny.gguf");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void downloadNarratesThrottledProgressEndingAtTheTotal() throws IOException {
    server.throttle(PATH, 400_000);
    TestJob job = TestJob.open();

    long start = System.nanoTime();
    Path got = downloader.download(server.url(PATH), dest, job, "tiny");
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(got).isEqualTo(dest);
    assertThat(Files.readAllBytes(dest)).isEqualTo(model);
    assertThat(dest.resolveSibling("tiny.gguf.part")).doesNotExist();
    List<Narration> progress = job.narrations("download_progress");
    assertThat(progress).hasSizeBetween(2, (int) (elapsedMs / 250) + 2);
    assertThat(progress).allSatisfy(n -> {
      assertThat(n.progress().total()).isEqualTo((long) model.length);
      assertThat(n.progress().unit()).isEqualTo("bytes");
      assertThat(n.model()).isEqualTo("tiny");
    });
    assertThat(progress).extracting(n -> n.progress().current()).isSorted();
    Narration last = progress.get(progress.size() - 1);
    assertThat(last.progress()).isEqualTo(new Progress(model.length, (long) model.length, "bytes"));
    assertThat(last.human()).endsWith("(100%)").contains(" / ");
    assertThat(job.narrations("download_verified")).hasSize(1);
  }

  @Test
  void brokenConnectionIsResumedWithRangeWithinTheJob() throws IOException {
    int half = model.length / 2;
    server.dropAfter(PATH, half, 1);
    TestJob job = TestJob.open();

    downloader.download(server.url(PATH), dest, job, "tiny");

    assertThat(Files.readAllBytes(dest)).isEqualTo(model);
    assertThat(server.rangeHeaders(PATH)).containsExactly("bytes=" + half + "-");
    assertThat(server.requests(PATH)).isEqualTo(2);
    List<Narration> retries = job.narrations("download_retry");
    assertThat(retries).hasSize(1);
    assertThat(retries.get(0).level()).isEqualTo(Level.WARN);
    assertThat(retries.get(0).human()).contains("retry 1 of 3");
    assertThat(job.narrations("download_resume")).hasSize(1);
  }

  @Test
  void connectionThatKeepsBreakingFailsAfterThreeRetriesKeepingThePart() {
    server.dropAfter(PATH, 1000, 100);
    TestJob job = TestJob.open();

    OperationException e = catchThrowableOfType(OperationException.class,
        () -> downloader.download(server.url(PATH), dest, job, "tiny"));

    assertThat(e.kind()).isEqualTo(ErrorKind.DOWNLOAD_FAILED);
    assertThat(e.getMessage()).contains("failed 4 times").contains("resume");
    assertThat(server.requests(PATH)).isEqualTo(4);
    assertThat(job.narrations("download_retry")).hasSize(3);
    assertThat(dest.resolveSibling("tiny.gguf.part")).hasSize(4000);
    assertThat(dest).doesNotExist();
  }

  @Test
  void partLeftByACancelledJobIsResumedByTheNextDownload() throws Exception {
    server.throttle(PATH, 100_000);
    Path part = dest.resolveSibling("tiny.gguf.part");
    TestJob first = TestJob.open();
    CompletableFuture<Path> running =
        CompletableFuture.supplyAsync(() -> downloader.download(server.url(PATH), dest, first, "t"));
    await().atMost(Duration.ofSeconds(10))
        .until(() -> Files.exists(part) && Files.size(part) > 20_000);

    first.cancel();

    Throwable thrown = catchThrowableOfType(Exception.class,
        () -> running.get(10, TimeUnit.SECONDS)).getCause();
    assertThat(thrown).isInstanceOf(JobCancelledException.class);
    assertThat(first.narrations("download_cancelled")).hasSize(1);
    long kept = Files.size(part);
    assertThat(kept).isBetween(20_000L, model.length - 1L);
    assertThat(dest).doesNotExist();

    server.throttle(PATH, 0);
    TestJob second = TestJob.open();
    downloader.download(server.url(PATH), dest, second, "t");

    assertThat(Files.readAllBytes(dest)).isEqualTo(model);
    assertThat(server.rangeHeaders(PATH)).containsExactly("bytes=" + kept + "-");
    assertThat(second.narrations("download_progress")).first()
        .satisfies(n -> assertThat(n.progress().current()).isGreaterThanOrEqualTo(kept));
  }

  @Test
  void serverThatIgnoresRangeIsDownloadedAgainFromZero() throws IOException {
    server.ignoreRange(PATH);
    Path part = dest.resolveSibling("tiny.gguf.part");
    Files.createDirectories(part.getParent());
    Files.write(part, Arrays.copyOf(model, 5000));

    downloader.download(server.url(PATH), dest, TestJob.open(), "tiny");

    assertThat(Files.readAllBytes(dest)).isEqualTo(model);
    assertThat(server.rangeHeaders(PATH)).containsExactly("bytes=5000-");
  }

  @Test
  void completePartIsVerifiedWithoutDownloadingAgain() throws IOException {
    Path part = dest.resolveSibling("tiny.gguf.part");
    Files.createDirectories(part.getParent());
    Files.write(part, model);

    downloader.download(server.url(PATH), dest, TestJob.open(), "tiny");

    assertThat(Files.readAllBytes(dest)).isEqualTo(model);
    assertThat(server.rangeHeaders(PATH)).containsExactly("bytes=" + model.length + "-");
  }

  @Test
  void partLongerThanTheFileIsThrownAwayAndDownloadedAgain() throws IOException {
    Path part = dest.resolveSibling("tiny.gguf.part");
    Files.createDirectories(part.getParent());
    Files.write(part, new byte[model.length + 100]);
    TestJob job = TestJob.open();

    downloader.download(server.url(PATH), dest, job, "tiny");

    assertThat(Files.readAllBytes(dest)).isEqualTo(model);
    assertThat(job.narrations("download_restart")).hasSize(1);
  }

  @Test
  void unreachableServerFailsAfterTheRetries() {
    java.net.URI url = server.url(PATH);
    server.close();
    TestJob job = TestJob.open();

    OperationException e = catchThrowableOfType(OperationException.class,
        () -> downloader.download(url, dest, job, "tiny"));

    assertThat(e.kind()).isEqualTo(ErrorKind.DOWNLOAD_FAILED);
    assertThat(e.getMessage()).contains(url.toString()).contains("failed 4 times");
    assertThat(job.narrations("download_retry")).hasSize(3);
  }

  @Test
  void redirectsAreFollowed() throws IOException {
    server.redirect("/org/repo/resolve/main/tiny.gguf", PATH);

    downloader.download(server.url("/org/repo/resolve/main/tiny.gguf"), dest, TestJob.open(), "t");

    assertThat(Files.readAllBytes(dest)).isEqualTo(model);
  }

  @Test
  void notFoundIsModelNotFoundNamingTheUrl() {
    OperationException e = catchThrowableOfType(OperationException.class,
        () -> downloader.download(server.url("/missing.gguf"), dest, TestJob.open(), "m"));

    assertThat(e.kind()).isEqualTo(ErrorKind.MODEL_NOT_FOUND);
    assertThat(e.getMessage()).contains("404 Not Found at " + server.url("/missing.gguf"));
  }

  @Test
  void otherHttpErrorsAreDownloadFailedWithTheStatus() {
    server.status("/broken.gguf", 503);

    OperationException e = catchThrowableOfType(OperationException.class,
        () -> downloader.download(server.url("/broken.gguf"), dest, TestJob.open(), "m"));

    assertThat(e.kind()).isEqualTo(ErrorKind.DOWNLOAD_FAILED);
    assertThat(e.getMessage()).contains("HTTP 503").contains("/broken.gguf");
  }

  @Test
  void fileThatIsNotGgufIsRejectedAndItsPartDeleted() throws IOException {
    server.serve("/page.gguf", Files.readAllBytes(TinyModels.garbage(dir)));

    OperationException e = catchThrowableOfType(OperationException.class,
        () -> downloader.download(server.url("/page.gguf"), dest, TestJob.open(), "m"));

    assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_GGUF);
    assertThat(e.getMessage()).contains(server.url("/page.gguf").toString());
    assertThat(dest).doesNotExist();
    assertThat(dest.resolveSibling("tiny.gguf.part")).doesNotExist();
  }
}

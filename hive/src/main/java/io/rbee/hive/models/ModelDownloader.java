package io.rbee.hive.models;

import io.rbee.gguf.GgufFile;
import io.rbee.gguf.InvalidGgufException;
import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.JobCancelledException;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.server.JobContext;
import java.io.IOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.OkHttpClient;

/**
 * Downloads one model file over HTTP(S), resumably, narrating its progress on the job.
 *
 * <p>The bytes go to {@code dest + ".part"}. A {@code .part} already there (left by a broken or
 * cancelled job) is resumed with {@code Range: bytes=N-}; a server that answers 200 instead of
 * 206 is downloaded again from byte 0. A connection that breaks (or cannot be made) is retried
 * up to {@link #MAX_RETRIES} times within the job, each time resuming where it broke. When the
 * body is complete its size is checked against the server's length, its GGUF header is read,
 * and only then is it renamed to {@code dest} (atomically where the file system can). A
 * {@code .part} that is not GGUF is deleted.
 *
 * <p>Cancellation: {@link JobContext#onCancel} cancels the HTTP call, so a blocked read ends at
 * once; the {@code .part} is kept for a later resume and {@link JobCancelledException} is thrown.
 *
 * <p>Thread-safe (the HTTP client is shared), but two downloads to the same {@code dest} at once
 * would write one {@code .part}: callers keep one download per destination (as
 * {@link ModelOperations} does).
 */
public final class ModelDownloader {
  /** How many times a broken connection is retried within one job. */
  public static final int MAX_RETRIES = 3;

  /** At most four progress narrations a second (plus the final one). */
  static final Duration PROGRESS_EVERY = Duration.ofMillis(250);

  private final OkHttpClient client;
  private final Duration retryBackoff;

  /** A downloader with its own HTTP client: redirects followed, 15 s connect, 60 s read. */
  public ModelDownloader() {
    this(new OkHttpClient.Builder()
            .followRedirects(true)
            .followSslRedirects(true)
            .connectTimeout(Duration.ofSeconds(15))
            .readTimeout(Duration.ofSeconds(60))
            .retryOnConnectionFailure(false)
            .build(),
        Duration.ofMillis(500));
  }

  /**
   * A downloader on {@code client}, waiting {@code retryBackoff} × attempt before each retry
   * (the wait ends early when the job is cancelled).
   */
  public ModelDownloader(OkHttpClient client, Duration retryBackoff) {
    this.client = client;
    this.retryBackoff = retryBackoff;
  }

  /**
   * Downloads {@code url} to {@code dest} for model {@code modelId}, narrating on {@code job};
   * returns {@code dest}.
   *
   * @throws OperationException {@code model_not_found} (404), {@code download_failed} (other
   *     HTTP errors, retries exhausted, file system errors), {@code invalid_gguf} (not a GGUF)
   * @throws JobCancelledException when the job was cancelled; the {@code .part} is kept
   */
  public Path download(URI url, Path dest, JobContext job, String modelId) {
    Path part = dest.resolveSibling(dest.getFileName() + ".part");
    AtomicReference<Call> current = new AtomicReference<>();
    CountDownLatch cancelled = new CountDownLatch(1);
    job.onCancel(() -> {
      cancelled.countDown();
      Call call = current.get();
      if (call != null) {
        call.cancel();
      }
    });
    Transfer transfer = new Transfer(url, part, job, modelId, current, PROGRESS_EVERY);
    try {
      Files.createDirectories(dest.getParent());
      int retries = 0;
      while (true) {
        checkCancelled(job, transfer);
        try {
          if (transfer.attempt(client)) {
            break;
          }
        } catch (IOException e) {
          checkCancelled(job, transfer);
          long have = transfer.partSize();
          if (++retries > MAX_RETRIES) {
            throw new OperationException(ErrorKind.DOWNLOAD_FAILED, "download of " + url + " failed "
                + retries + " times, last: " + describe(e) + "; " + ByteSize.format(have)
                + " kept in " + part + ", run the download again to resume");
          }
          job.narrate("download_retry").model(modelId).warn()
              .human("Connection lost ({}) with {} here; retry {} of {} resumes from there",
                  describe(e), ByteSize.format(have), retries, MAX_RETRIES)
              .emit();
          if (cancelled.await(retryBackoff.toMillis() * retries, TimeUnit.MILLISECONDS)) {
            checkCancelled(job, transfer);
          }
        }
      }
      verify(url, part, job, modelId);
      move(part, dest);
      return dest;
    } catch (IOException e) {
      throw new OperationException(ErrorKind.DOWNLOAD_FAILED,
          "download of " + url + " failed: " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      checkCancelled(job, transfer);
      throw new OperationException(ErrorKind.DOWNLOAD_FAILED, "download of " + url + " interrupted");
    }
  }

  private static void checkCancelled(JobContext job, Transfer transfer) {
    if (job.cancelled()) {
      job.narrate("download_cancelled").model(transfer.modelId).warn()
          .human("Download cancelled; {} kept in {} (the next download of this model resumes)",
              ByteSize.format(transfer.partSize()), transfer.part)
          .emit();
      throw new JobCancelledException();
    }
  }

  private static void verify(URI url, Path part, JobContext job, String modelId) {
    job.narrate("download_verify").model(modelId)
        .human("Checking the GGUF header of {}", part.getFileName()).emit();
    try {
      GgufFile gguf = GgufFile.read(part);
      job.narrate("download_verified").model(modelId)
          .human("Valid GGUF: architecture {}, {} parameters", gguf.architecture(),
              gguf.parameterCount())
          .emit();
    } catch (InvalidGgufException e) {
      try {
        Files.deleteIfExists(part);
      } catch (IOException ignored) {
        // the message below still tells the user what happened
      }
      throw new OperationException(ErrorKind.INVALID_GGUF, "the file at " + url
          + " is not a usable GGUF model, deleted it: " + e.getMessage(), e);
    }
  }

  private static void move(Path part, Path dest) throws IOException {
    try {
      Files.move(part, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(part, dest, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static String describe(IOException e) {
    String msg = e.getMessage();
    return e.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
  }
}

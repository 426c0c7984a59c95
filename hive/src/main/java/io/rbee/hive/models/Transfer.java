package io.rbee.hive.models;

import io.rbee.jobs.ErrorKind;
import io.rbee.jobs.OperationException;
import io.rbee.jobs.server.JobContext;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One file's transfer into its {@code .part}, across the attempts of one job: each
 * {@link #attempt} is one HTTP request that appends to (or restarts) the {@code .part}. Used by
 * one thread; the call in flight is published in {@code current} so a cancel can abort it.
 */
final class Transfer {
  private static final Pattern CONTENT_RANGE =
      Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");
  private static final Pattern UNSATISFIED = Pattern.compile("bytes\\s+\\*/(\\d+)");
  private static final int BUFFER = 64 * 1024;
  /** Start-overs allowed per job, so a server that keeps changing its mind cannot loop us. */
  private static final int MAX_RESTARTS = 2;

  final URI url;
  final Path part;
  final String modelId;
  private final JobContext job;
  private final AtomicReference<Call> current;
  private final long progressEveryNanos;
  private long lastProgressNanos;
  private long lastReported = -1;
  private int restarts;

  Transfer(URI url, Path part, JobContext job, String modelId, AtomicReference<Call> current,
      Duration progressEvery) {
    this.url = url;
    this.part = part;
    this.job = job;
    this.modelId = modelId;
    this.current = current;
    this.progressEveryNanos = progressEvery.toNanos();
  }

  long partSize() {
    try {
      return Files.exists(part) ? Files.size(part) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * One HTTP request. Returns true when the whole body is in the {@code .part}, false when the
   * {@code .part} did not fit the server's answer and was deleted (call again at once). A broken
   * connection throws IOException, which the caller retries.
   *
   * @throws OperationException {@code model_not_found} on 404, {@code download_failed} on other
   *     HTTP errors
   */
  boolean attempt(OkHttpClient client) throws IOException {
    long have = partSize();
    Request.Builder rb = new Request.Builder().url(url.toString())
        // identity: lengths and ranges then count the bytes of the file itself
        .header("Accept-Encoding", "identity")
        .header("User-Agent", "rbee-hive");
    if (have > 0) {
      rb.header("Range", "bytes=" + have + "-");
    }
    job.narrate("download_connect").model(modelId)
        .human(have > 0 ? "Connecting to {} to resume after {}" : "Connecting to {}", url,
            ByteSize.format(have))
        .emit();
    Call call = client.newCall(rb.build());
    current.set(call);
    if (job.cancelled()) {
      call.cancel();
    }
    try (Response response = call.execute()) {
      int code = response.code();
      if (code == 416 && have > 0) {
        Matcher m = UNSATISFIED.matcher(header(response, "Content-Range"));
        long size = m.matches() ? Long.parseLong(m.group(1)) : -1;
        if (size == have) {
          progress(have, size, true); // an earlier job got every byte before it stopped
          return true;
        }
        return restart("the server has " + (size < 0 ? "an unknown number of" : size)
            + " bytes, " + have + " are already here");
      }
      if (code == 404) {
        throw new OperationException(ErrorKind.MODEL_NOT_FOUND,
            "no model file there: 404 Not Found at " + url);
      }
      if (code != 200 && code != 206) {
        throw new OperationException(ErrorKind.DOWNLOAD_FAILED, "HTTP " + code
            + (response.message().isEmpty() ? "" : " " + response.message()) + " from " + url);
      }
      Long total;
      boolean append;
      if (code == 206) {
        Matcher m = CONTENT_RANGE.matcher(header(response, "Content-Range"));
        if (!m.matches() || Long.parseLong(m.group(1)) != have) {
          return restart("the server answered a range that does not start at byte " + have
              + " (Content-Range: " + header(response, "Content-Range") + ")");
        }
        total = m.group(3).equals("*") ? null : Long.parseLong(m.group(3));
        append = true;
        job.narrate("download_resume").model(modelId)
            .human("Server resumed the download at {}", ByteSize.progress(have, total)).emit();
      } else {
        if (have > 0) {
          restart("the server ignored the Range request and sent the whole file");
          have = 0;
        }
        long length = response.body().contentLength();
        total = length < 0 ? null : length;
        append = false;
      }
      copy(response.body().byteStream(), have, total, append);
      return true;
    }
  }

  private boolean restart(String why) throws IOException {
    if (++restarts > MAX_RESTARTS) {
      throw new OperationException(ErrorKind.DOWNLOAD_FAILED, "download of " + url + " had to start"
          + " over " + restarts + " times, giving up; last: " + why);
    }
    job.narrate("download_restart").model(modelId).warn()
        .human("Starting over from byte 0: {}", why).emit();
    Files.deleteIfExists(part);
    return false;
  }

  private void copy(InputStream in, long have, Long total, boolean append) throws IOException {
    long done = have;
    byte[] buf = new byte[BUFFER];
    // a FileOutputStream, not a FileChannel: an interrupt of the job thread must not close it
    try (FileOutputStream out = new FileOutputStream(part.toFile(), append)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        if (job.cancelled()) {
          throw new IOException("job cancelled");
        }
        out.write(buf, 0, n);
        DownloadMetrics.BYTES.inc(n);
        done += n;
        if (total != null && done > total) {
          throw new OperationException(ErrorKind.DOWNLOAD_FAILED, "the server sent more than the "
              + total + " bytes it announced for " + url);
        }
        progress(done, total, false);
      }
    }
    if (total != null && done != total) {
      throw new IOException("the body ended after " + done + " of " + total + " bytes");
    }
    progress(done, total == null ? done : total, true);
  }

  /** Narrates progress at most every {@code progressEvery}; {@code last} always, once. */
  private void progress(long current, Long total, boolean last) {
    long now = System.nanoTime();
    if (last ? current == lastReported : now - lastProgressNanos < progressEveryNanos) {
      return;
    }
    lastProgressNanos = now;
    lastReported = current;
    job.narrate("download_progress").model(modelId)
        .progress(current, total, "bytes")
        .human("{}", ByteSize.progress(current, total)).emit();
  }

  private static String header(Response response, String name) {
    String value = response.header(name);
    return value == null ? "" : value.strip();
  }
}
